package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tally.realtime.Position;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.HistorySource;
import io.tally.realtime.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The live feed of one room as the channel brings it, against a stream that has every entry. */
class DeliveryTest {
    private static final String ROOM = "game-1";
    private static final String EPOCH = "e1";

    private final List<Message> stream = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final Map<String, RoomFeed> feeds = new ConcurrentHashMap<>();
    private final Delivery delivery;

    DeliveryTest() {
        HistorySource source = new HistorySource() {
            @Override
            public History history(String room, Position since, int limit) {
                List<Message> after = stream.stream()
                        .filter(m -> m.position().isAfter(since))
                        .limit(limit)
                        .toList();
                return History.of(after, tip(room));
            }

            @Override
            public Position tip(String room) {
                return stream.isEmpty()
                        ? new Position(EPOCH, Position.START)
                        : stream.get(stream.size() - 1).position();
            }
        };
        BrokerListener listener = new BrokerListener() {
            @Override
            public void onMessage(Message m) {
                delivered.add(m.position().offset());
            }

            @Override
            public void onReset(String room, String reason, Position tip) {
                delivered.add("reset:" + reason);
            }
        };
        delivery = new Delivery(source, new Health("redis", "test"), feeds, () -> listener);
        feeds.put(ROOM, new RoomFeed(ROOM));
        delivery.subscribed(ROOM); // at the tip: nothing yet
    }

    @Test
    void messagesTheChannelDroppedAreReadFromTheStreamBeforeTheNextOne() {
        publish("1-0", null, true);
        publish("2-0", "1-0", false); // lost on the way (e.g. a replica still syncing after a failover)
        publish("3-0", "2-0", true);
        publish("4-0", "3-0", true);
        assertEquals(List.of("1-0", "2-0", "3-0", "4-0"), delivered);
    }

    @Test
    void aMessageFromAnInstanceThatNamesNoPreviousEntryIsDeliveredAsBefore() {
        publish("1-0", null, true);
        publish("2-0", null, true);
        assertEquals(List.of("1-0", "2-0"), delivered);
    }

    @Test
    void theOriginLineKeepsAnInstanceNameWithoutThePreviousEntry() {
        Envelope e = Envelope.parse(EPOCH + "\n5-1\nweb 7 4-0\n{\"a\":1}");
        assertEquals("web 7", e.origin());
        assertEquals(new Position(EPOCH, "4-0"), e.previous());
        assertEquals("{\"a\":1}", e.payload());
        Envelope old = Envelope.parse(EPOCH + "\n5-1\nweb-7\n{\"a\":1}");
        assertEquals("web-7", old.origin());
        assertEquals(null, old.previous());
    }

    /** Appends to the stream and, if {@code arrives}, brings it on the channel as the publish script writes it. */
    private void publish(String offset, String previous, boolean arrives) {
        stream.add(new Message(ROOM, new Position(EPOCH, offset), "{\"n\":\"" + offset + "\"}"));
        if (!arrives) return;
        String origin = "web-a" + (previous == null ? "" : " " + previous);
        delivery.received(ROOM, EPOCH + "\n" + offset + "\n" + origin + "\n{\"n\":\"" + offset + "\"}");
    }
}
