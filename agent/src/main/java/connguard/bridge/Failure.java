package connguard.bridge;

/** An exit outcome that is a throwable to be thrown to the app (a method may return a Throwable). */
public final class Failure {
  public final Throwable cause;

  public Failure(Throwable cause) {
    this.cause = cause;
  }
}
