package dev.edx.api;

import dev.edx.api.exceptions.NoSuchJobException;

/**
 * Runs jobs. Thread safe.
 *
 * <p>Which {@link JobSpec} kinds a provider runs is documented by the provider; one it cannot run
 * is refused at {@link #submit} with an {@link UnsupportedOperationException} that says which
 * provider would.
 */
public interface Compute {

  /**
   * Submits a job and returns at once; the job runs in the background.
   *
   * @throws UnsupportedOperationException if this provider cannot run this kind of job
   */
  JobHandle submit(JobSpec spec);

  /**
   * The handle of a job submitted earlier.
   *
   * @throws NoSuchJobException if no job has this id
   */
  JobHandle job(String id);
}
