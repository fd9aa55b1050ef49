package dev.edx.core.local;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.exceptions.ProviderException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Lists a bucket of {@link LocalObjectStorage} folder by folder, depth first, reading one folder
 * at a time. Each folder's entries are sorted by name for files and by name + "/" for folders,
 * which makes the depth-first order the keys' order: folder {@code a} sorts as {@code a/}, after
 * file {@code a-c}.
 */
final class LocalObjectIterator implements Iterator<ObjectInfo> {
  private final String bucket;
  private final String prefix;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private ObjectInfo next;

  /**
   * @param bucket the bucket listed
   * @param prefix the prefix listed, for messages
   * @param start the deepest folder the prefix names
   * @param keyBase the key of {@code start} followed by "/", or "" for the bucket's folder
   * @param namePrefix what the names of {@code start}'s entries must start with
   */
  LocalObjectIterator(String bucket, String prefix, Path start, String keyBase,
      String namePrefix) {
    this.bucket = bucket;
    this.prefix = prefix;
    stack.push(new Frame(keyBase, readFolder(start, namePrefix)));
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = computeNext();
    }
    return next != null;
  }

  @Override
  public ObjectInfo next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ObjectInfo result = next;
    next = null;
    return result;
  }

  private ObjectInfo computeNext() {
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      if (!frame.entries.hasNext()) {
        stack.pop();
        continue;
      }
      Entry entry = frame.entries.next();
      String key = frame.keyBase + entry.name;
      if (entry.folder) {
        stack.push(new Frame(key + "/", readFolder(entry.path, "")));
      } else {
        return new ObjectInfo(ObjectRef.of(bucket, key), entry.size, entry.modified,
            Optional.empty());
      }
    }
    return null;
  }

  private Iterator<Entry> readFolder(Path folder, String namePrefix) {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      for (Path path : stream) {
        String name = path.getFileName().toString();
        if (!name.startsWith(namePrefix) || !LocalKeys.isValidSegment(name)) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // deleted while listing
        }
        if (attributes.isDirectory()) {
          entries.add(new Entry(name, name + "/", true, path, 0, Instant.EPOCH));
        } else if (attributes.isRegularFile()) {
          entries.add(new Entry(name, name, false, path, attributes.size(),
              attributes.lastModifiedTime().toInstant()));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.<Entry>of().iterator(); // the prefix names no folder, or it was pruned
    } catch (IOException e) {
      throw new ProviderException("Cannot list " + bucket + "/" + prefix + ": " + e, e);
    }
    entries.sort(Comparator.comparing(Entry::sortKey, LocalKeys.ORDER));
    return entries.iterator();
  }

  private record Frame(String keyBase, Iterator<Entry> entries) {}

  private record Entry(
      String name, String sortKey, boolean folder, Path path, long size, Instant modified) {}
}
