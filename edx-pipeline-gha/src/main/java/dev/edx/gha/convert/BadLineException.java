package dev.edx.gha.convert;

/** A line of a GH Archive file that cannot be an event; the reason goes to the quarantine. */
final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  BadLineException(String reason) {
    super(reason, null, false, false);
  }
}
