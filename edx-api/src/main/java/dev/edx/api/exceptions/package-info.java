/**
 * The edx exception hierarchy. Every exception is unchecked and extends {@link
 * dev.edx.api.exceptions.EdxException}; provider SDK exceptions only ever appear as a cause, never
 * in a signature. Messages read "Cannot &lt;verb&gt; &lt;thing&gt;: &lt;reason&gt;" and never
 * contain secret values.
 */
package dev.edx.api.exceptions;
