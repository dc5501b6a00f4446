package io.tally.doctor;

import io.tally.config.Settings;

/**
 * What the deployer told Tally about the proxies in front of it. Tally cannot read these from the
 * load balancer or nginx; they are the values the deployer configured, so the doctor can compare
 * them with the heartbeat and the poll hold.
 *
 * @param proxyIdleTimeoutSeconds {@code TALLY_PROXY_IDLE_TIMEOUT_S}: nginx's {@code proxy_read_timeout}
 *                                on the instance (300 s in our {@code .platform/nginx/conf.d/tally.conf};
 *                                nginx's own default is 60 s)
 * @param lbIdleTimeoutSeconds    {@code TALLY_LB_IDLE_TIMEOUT_S}: the load balancer's idle timeout, i.e.
 *                                {@code aws:elbv2:loadbalancer IdleTimeout} as configured in
 *                                {@code .ebextensions} (300 s in ours; the ALB default is 60 s)
 */
public record DoctorSettings(int proxyIdleTimeoutSeconds, int lbIdleTimeoutSeconds) {
    public static final String PROXY_IDLE_TIMEOUT = "TALLY_PROXY_IDLE_TIMEOUT_S";
    public static final String LB_IDLE_TIMEOUT = "TALLY_LB_IDLE_TIMEOUT_S";

    public static DoctorSettings from(Settings s) {
        return new DoctorSettings(
                s.integer(PROXY_IDLE_TIMEOUT, 300, 1, 86_400), s.integer(LB_IDLE_TIMEOUT, 300, 1, 4_000));
    }
}
