package dev.edx.api.spi;

import java.util.List;

/**
 * Implemented by a service that can create what its spec declares (buckets, databases,
 * namespaces). The desired state is the spec the service was created from; what exists is read
 * from the backend each time (there is no state file).
 */
public interface Provisioner {

  /** The changes {@link #apply} would make, without making them. */
  List<Change> plan();

  /**
   * Makes the spec's resources exist as declared. Idempotent: a second call changes nothing and
   * returns only {@code NONE} changes; an interrupted call is completed by the next one.
   *
   * @return the changes, as made
   */
  List<Change> apply();

  /**
   * Removes what the spec declares. Resources holding data follow {@code policy}: {@link
   * DataPolicy#RETAIN} keeps them and reports a {@code RETAIN} change for each.
   */
  List<Change> destroy(DataPolicy policy);

  /**
   * The changes {@link #destroy destroy(policy)} would make, without making them: the same
   * {@code DELETE}, {@code RETAIN} and {@code NONE} decisions, resource by resource.
   *
   * @throws UnsupportedOperationException when this provisioner cannot plan a destroy (the
   *     default, for provisioners written before this method existed)
   */
  default List<Change> planDestroy(DataPolicy policy) {
    throw new UnsupportedOperationException(getClass().getName()
        + " does not implement planDestroy(DataPolicy): it cannot show what destroy would do");
  }
}
