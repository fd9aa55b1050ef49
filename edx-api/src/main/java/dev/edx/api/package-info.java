/**
 * The edx API: an {@link dev.edx.api.Environment} over {@link dev.edx.api.ObjectStorage}, {@link
 * dev.edx.api.Compute}, {@link dev.edx.api.Metastore} and {@link dev.edx.api.Secrets}, and the
 * value records they speak. Depends on nothing outside the JDK.
 */
package dev.edx.api;
