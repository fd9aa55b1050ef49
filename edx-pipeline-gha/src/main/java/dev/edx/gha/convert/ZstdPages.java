package dev.edx.gha.convert;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * ZSTD page compression (level {@value #LEVEL}, parquet-java's default) through one reused
 * zstd-jni context and reused buffers: one call per page, no Hadoop codec or configuration, no
 * stream. Each page is one standard ZSTD frame. Not thread safe; one per row group being encoded.
 */
final class ZstdPages implements CompressionCodecFactory.BytesInputCompressor {
  static final int LEVEL = 3;

  private final ZstdCompressCtx context = new ZstdCompressCtx().setLevel(LEVEL);
  private final Buffer in = new Buffer();
  private byte[] out = new byte[0];

  /**
   * Compresses {@code bytes}; the result is valid until the next call (the page writer copies it
   * at once, as with parquet-java's own compressors).
   */
  @Override
  public BytesInput compress(BytesInput bytes) throws IOException {
    in.reset();
    bytes.writeAllTo(in);
    int bound = (int) Zstd.compressBound(in.size());
    if (out.length < bound) {
      out = new byte[Math.max(bound, out.length * 2)];
    }
    int n = context.compressByteArray(out, 0, out.length, in.array(), 0, in.size());
    return BytesInput.from(out, 0, n);
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.ZSTD;
  }

  @Override
  public void release() {
    context.close();
  }

  /** A byte array output stream that lends its array. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(1 << 16);
    }

    byte[] array() {
      return buf;
    }
  }
}
