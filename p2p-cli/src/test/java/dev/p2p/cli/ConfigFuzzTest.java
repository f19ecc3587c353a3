package dev.p2p.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any config text: a config or a UserError naming what is wrong, never another exception. */
class ConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parseAcceptsOrRefusesCleanly(String text) {
        if (text == null) {
            return; // Jazzer also tries null; a file always has text
        }
        try {
            CliConfig.parse(text, "config");
        } catch (UserError expected) {
            // refused with a one-line message
        }
    }
}
