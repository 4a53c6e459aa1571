package io.canaryllm;

import org.apache.camel.main.Main;

/**
 * {@code java -jar target/canaryllm.jar}, started from the directory that holds {@code config/} and {@code routes/}.
 */
public final class CanaryMain {
    private CanaryMain() {}

    public static void main(String[] args) {
        int code;
        try {
            code = create().run(args);
        } catch (Throwable e) {
            System.err.println("CanaryLLM failed to start: " + describe(e));
            code = 1;
        }
        // after a SIGTERM the JVM is already shutting down (System.exit would wait forever): just return
        if (code != 0) System.exit(code);
    }

    /** A Camel Main that reads {@code config/application.properties} and {@code routes/} from the working directory. */
    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:config/application.properties");
        main.addMainListener(new Gateway());
        return main;
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) sb.append("\n  caused by: ");
            sb.append(t.getMessage() == null ? t.getClass().getName() : t.getMessage());
        }
        return sb.toString();
    }
}
