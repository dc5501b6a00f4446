package io.tally.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void familiesHaveHelpAndTypeAndLabelValuesAreEscaped() {
        String text = new PrometheusText()
                .family("tally_rejected_total", "counter", "Refusals by reason.")
                .sample("tally_rejected_total", Map.of("reason", "a\"b\\c\nd"), 3)
                .gauge("tally_broker_lag_seconds", "Lag.", 0.25)
                .toString();
        assertEquals(
                "# HELP tally_rejected_total Refusals by reason.\n"
                        + "# TYPE tally_rejected_total counter\n"
                        + "tally_rejected_total{reason=\"a\\\"b\\\\c\\nd\"} 3\n"
                        + "# HELP tally_broker_lag_seconds Lag.\n"
                        + "# TYPE tally_broker_lag_seconds gauge\n"
                        + "tally_broker_lag_seconds 0.25\n",
                text);
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
    }
}
