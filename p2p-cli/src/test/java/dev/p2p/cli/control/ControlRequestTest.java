package dev.p2p.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.cli.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlRequestTest {
    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEveryCall() {
        assertInstanceOf(ControlRequest.Id.class, ControlRequest.parse("GET", "/v1/id", new byte[0]));
        assertInstanceOf(ControlRequest.Peers.class, ControlRequest.parse("GET", "/v1/peers", new byte[0]));
        assertInstanceOf(ControlRequest.Ls.class, ControlRequest.parse("GET", "/v1/ls", new byte[0]));
        assertEquals(new ControlRequest.Download("12", 0), ControlRequest.parse("GET", "/v1/downloads/12", new byte[0]));
        assertEquals(new ControlRequest.Download("12", 250), ControlRequest.parse("GET", "/v1/downloads/12?wait=250", new byte[0]));
        assertEquals(new ControlRequest.Download("12", ControlRequest.MAX_WAIT_MILLIS),
                ControlRequest.parse("GET", "/v1/downloads/12?wait=999999999", new byte[0]), "a wait is capped");
        assertEquals(new ControlRequest.Share(Path.of("/srv/a.bin")),
                ControlRequest.parse("POST", "/v1/share", json("{\"path\": \"/srv/x/../a.bin\"}")));
        ControlRequest.Get g = (ControlRequest.Get) ControlRequest.parse("POST", "/v1/get",
                json("{\"link\": \"p2p://" + "a".repeat(52) + "\", \"out\": \"/tmp/o\", \"timeoutSeconds\": 999999999}"));
        assertEquals(ControlRequest.MAX_TIMEOUT_SECONDS, g.timeoutSeconds());
        assertTrue(g.share(), "a running node keeps sharing what it fetched unless asked not to");
        ControlRequest.Get noShare = (ControlRequest.Get) ControlRequest.parse("POST", "/v1/get",
                json("{\"link\": \"p2p://" + "a".repeat(52) + "\", \"out\": \"/tmp/o\", \"share\": false}"));
        assertFalse(noShare.share());
    }

    @Test
    void refusesWhatItCannotTrust() {
        for (String[] bad : new String[][] {
                {"GET", "/v1/nope", ""}, {"POST", "/v1/share", "[]"}, {"POST", "/v1/share", "{\"path\": 7}"},
                {"POST", "/v1/share", "{\"path\": \"a\\u0000b\"}"}, {"POST", "/v1/get", "{\"link\": \"http://x\", \"out\": \"/o\"}"},
                {"POST", "/v1/get", "{\"link\": \"p2p://" + "a".repeat(52) + "\", \"out\": \"/o\", \"share\": \"no\"}"},
                {"POST", "/v1/get", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]"},
                {"GET", "/v1/downloads/../../x", ""}, {"GET", "/v1/downloads/1?wait=-1", ""},
                {"GET", "/v1/downloads/1?wait=1&x=2", ""}, {"GET", "/v1/downloads/1?wait=9999999999", ""}, {"POST", "/v1/share", "not json"}}) {
            assertThrows(UserError.class, () -> ControlRequest.parse(bad[0], bad[1], json(bad[2])), String.join(" ", bad));
        }
        assertThrows(UserError.class, () -> ControlRequest.parse("POST", "/v1/share", new byte[ControlRequest.MAX_BODY_BYTES + 1]));
    }
}
