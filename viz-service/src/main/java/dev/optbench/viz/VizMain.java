package dev.optbench.viz;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service with Java2D in headless mode before anything touches AWT: charts are drawn on servers
 * without a display.
 */
@QuarkusMain
public final class VizMain {

    public static void main(String... args) {
        System.setProperty("java.awt.headless", "true");
        Quarkus.run(args);
    }
}
