package dev.p2p.cli.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.p2p.cli.UserError;

/** Any method, path and body: a parsed request or a UserError, never another exception. */
class ControlRequestFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parseAcceptsOrRefusesCleanly(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"GET", "POST", "PUT", "DELETE"});
        String path = data.consumeBoolean()
                ? data.pickValue(new String[] {"/v1/id", "/v1/peers", "/v1/ls", "/v1/share", "/v1/get", "/v1/downloads/"})
                        + data.consumeString(40)
                : data.consumeString(200);
        try {
            ControlRequest.parse(method, path, data.consumeRemainingAsBytes());
        } catch (UserError expected) {
            // refused with a message for the caller
        }
    }
}
