package io.tally.doctor;

import io.tally.config.Settings;
import io.tally.realtime.Realtime;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/**
 * The deployment doctor: {@code /doctor/} (a page, static files under {@code webapp/doctor/}) and
 * its JSON endpoints under {@code /doctor/api/}, reachable without the scorer token and showing no
 * secrets. Also answers un-upgraded requests to {@code /live/ws} (see {@link UpgradeProbeServlet}).
 * Uses the real-time core only through {@link Realtime}.
 */
public final class Doctor {
    private Doctor() {}

    /** Registers the doctor's servlets; called by the bootstrap. */
    public static void install(ServletContext context, Realtime realtime, Settings settings) {
        DoctorSettings proxies = DoctorSettings.from(settings);
        Probes probes = new Probes(realtime);
        // The doctor's polling check polls this room (nothing is ever published to it); the others are not for viewers.
        realtime.rooms(room -> room.equals("tally-doctor.echo"));
        ServletRegistration.Dynamic api =
                context.addServlet("tally-doctor", new DoctorServlet(realtime, proxies, probes));
        api.addMapping("/doctor", "/doctor/api/*");
        api.setLoadOnStartup(1); // starts the presence beat with the instance, not with the first visit
        ServletRegistration.Dynamic hold = context.addServlet(
                "tally-doctor-hold", new SilentHoldServlet(realtime.config().instanceId()));
        hold.addMapping("/doctor/api/hold");
        hold.setAsyncSupported(true);
        ServletRegistration.Dynamic probe =
                context.addServlet("tally-doctor-upgrade-probe", new UpgradeProbeServlet(probes));
        probe.addMapping("/live/ws");
    }
}
