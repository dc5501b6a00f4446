package io.tally.realtime;

import java.util.regex.Pattern;

/** Room naming rules shared by every transport and broker. */
public final class Rooms {
    public static final String RULE = "[A-Za-z0-9_.-]{1,100}";
    private static final Pattern VALID = Pattern.compile(RULE);

    private Rooms() {}

    public static boolean isValid(String room) {
        return room != null && VALID.matcher(room).matches();
    }

    /**
     * Rooms named {@value #RESERVED_PREFIX}... belong to Tally itself (the doctor's): viewers reach
     * them only when the application's {@link RoomDirectory} names them, never because they were
     * published to.
     */
    public static final String RESERVED_PREFIX = "tally-";

    public static boolean isReserved(String room) {
        return room.startsWith(RESERVED_PREFIX);
    }

    public static String require(String room) {
        if (!isValid(room)) throw new IllegalArgumentException("room name must match " + RULE);
        return room;
    }
}
