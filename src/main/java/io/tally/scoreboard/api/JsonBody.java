package io.tally.scoreboard.api;

import io.tally.json.Json;
import io.tally.json.JsonException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Reads a request body as a JSON object within the size and depth limits, or throws the right Problem. */
final class JsonBody {
    private JsonBody() {}

    /** The raw body text ("" when there is none): 415 if it is not JSON, 413 if it is too large. */
    static String read(HttpServletRequest req, int maxBytes) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        String type = req.getContentType();
        boolean json = type != null && isJson(type);
        if (type != null && !json) throw notJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try (InputStream in = req.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) throw tooLarge(maxBytes);
                out.write(buf, 0, n);
            }
        }
        // A body without a Content-Type is only acceptable when there is none (e.g. POST …/undo).
        if (!json && out.size() > 0) throw notJson();
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Problem(400, "bad-json", "the body is not valid UTF-8");
        }
    }

    static Map<String, Object> parse(String text, int maxDepth) {
        if (text.isBlank()) throw new Problem(400, "bad-json", "a JSON object body is required");
        try {
            return Json.parseObject(text, maxDepth);
        } catch (JsonException e) {
            throw new Problem(400, "bad-json", "the body is not valid JSON: " + e.getMessage());
        }
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        String mime = (semi < 0 ? t : t.substring(0, semi)).trim();
        if (semi >= 0 && t.contains("charset") && !t.replace(" ", "").contains("charset=utf-8")) return false;
        return mime.equals("application/json");
    }

    private static Problem notJson() {
        return new Problem(415, "not-json", "send the body as JSON, with Content-Type: application/json");
    }

    private static Problem tooLarge(int max) {
        return new Problem(413, "body-too-large", "the body is larger than " + max + " bytes");
    }
}
