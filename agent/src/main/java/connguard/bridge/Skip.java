package connguard.bridge;

/** An enter-advice answer meaning "do not run the method body"; exit advice supplies the outcome. */
public class Skip {
}
