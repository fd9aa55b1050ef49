package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ProviderException;
import io.minio.Result;
import io.minio.messages.Item;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lazy streams over minio-java's paginated listings: the first page is fetched when the stream is
 * made (so a missing bucket or refused credentials fail there), the next ones as it is read. A
 * listing cut by a transient failure restarts after the last key it returned.
 */
final class MinioListing {
  private static final Logger LOG = LoggerFactory.getLogger(MinioListing.class);

  private final MinioCalls calls;

  MinioListing(MinioCalls calls) {
    this.calls = requireNonNull(calls, "calls is null");
  }

  /** The items of one listing, converted; a {@code null} conversion is skipped. */
  <T> Stream<T> once(Iterable<Result<Item>> results, String what, String bucket,
      Function<Item, T> convert) {
    return stream(new ResultIterator<>(results.iterator(), null, what, bucket, convert));
  }

  /** As {@link #once}, listing again with {@code listing.apply(lastKey)} after a failure. */
  <T> Stream<T> resuming(Function<String, Iterable<Result<Item>>> listing, String what,
      String bucket, Function<Item, T> convert) {
    return stream(new ResultIterator<>(listing.apply(null).iterator(), listing, what, bucket,
        convert));
  }

  private static <T> Stream<T> stream(Iterator<T> iterator) {
    iterator.hasNext(); // surfaces a missing bucket or refused credentials here
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  private final class ResultIterator<T> implements Iterator<T> {
    private Iterator<Result<Item>> results;
    private final Function<String, Iterable<Result<Item>>> relist;
    private final String what;
    private final String bucket;
    private final Function<Item, T> convert;
    private T next;
    private String lastKey;
    private int failures;

    ResultIterator(Iterator<Result<Item>> results,
        Function<String, Iterable<Result<Item>>> relist, String what, String bucket,
        Function<Item, T> convert) {
      this.results = results;
      this.relist = relist;
      this.what = what;
      this.bucket = bucket;
      this.convert = convert;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        Item item;
        try {
          boolean more = calls.callOnce(what, bucket, null, results::hasNext);
          if (!more) {
            return false;
          }
          item = calls.callOnce(what, bucket, null, () -> results.next().get());
        } catch (ProviderException e) {
          if (relist == null || failures++ >= MinioCalls.RETRIES
              || !MinioCalls.transientFailure(e.getCause())) {
            throw e;
          }
          LOG.debug("Listing again after {}: {}", lastKey, e.toString());
          MinioCalls.backoff(failures - 1);
          results = relist.apply(lastKey).iterator();
          continue;
        }
        failures = 0;
        lastKey = item.objectName();
        next = convert.apply(item);
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T result = next;
      next = null;
      return result;
    }
  }
}
