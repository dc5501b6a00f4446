package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.standin.Proc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs .platform/hooks/predeploy/20-tomcat-connector.sh on the stock server.xml of both Tomcat
 * branches (from the official distributions the build downloads). The e2e stand-in runs the same
 * hook on its Tomcats, so real Tomcats start with the result there.
 */
class TomcatConnectorHookIT {
    @TempDir
    Path tmp;

    Path hook = Project.dir().resolve(".platform/hooks/predeploy/20-tomcat-connector.sh");

    private Path stockServerXml(String version) throws IOException {
        Path zip = Project.dir().resolve("target/standin-dist/tomcat-" + version + ".zip");
        Path out = tmp.resolve("server.xml");
        try (ZipFile z = new ZipFile(zip.toFile());
                InputStream in = z.getInputStream(z.getEntry("apache-tomcat-" + version + "/conf/server.xml"))) {
            Files.copy(in, out);
        }
        return out;
    }

    private Proc.Result run(Path serverXml, String... env) {
        List<String> cmd = new ArrayList<>(List.of("env", "TALLY_SERVER_XML=" + serverXml));
        cmd.addAll(List.of(env));
        cmd.addAll(List.of("bash", hook.toString()));
        return Proc.run(cmd, tmp, 30_000);
    }

    /** The uncommented connectors on a port, as the XML parser (and Tomcat) sees them. */
    private static List<Element> connectors(Path serverXml, String port) throws Exception {
        NodeList all = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(serverXml.toFile())
                .getElementsByTagName("Connector");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (port.equals(e.getAttribute("port"))) out.add(e);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.0.14", "10.1.49"})
    void sizesThePlatformsHttpConnectorAndChangesNothingElse(String version) throws Exception {
        Path xml = stockServerXml(version);
        byte[] before = Files.readAllBytes(xml);
        Proc.Result r = run(xml);
        assertEquals(0, r.status(), r.output());

        List<Element> http = connectors(xml, "8080");
        assertEquals(1, http.size());
        Element c = http.get(0);
        assertEquals("30000", c.getAttribute("maxConnections"));
        assertEquals("1024", c.getAttribute("acceptCount"));
        assertEquals("1024", c.getAttribute("socket.appReadBufSize"));
        assertEquals("1024", c.getAttribute("socket.appWriteBufSize"));
        assertEquals("20000", c.getAttribute("connectionTimeout"), "existing attributes kept");
        assertEquals("HTTP/1.1", c.getAttribute("protocol"));

        String original = new String(before, java.nio.charset.StandardCharsets.UTF_8);
        String edited = Files.readString(xml);
        assertEquals(original.contains("\r\n"), edited.contains("\r\n"), "line endings kept");
        assertEquals(
                original.lines().count() + 5,
                edited.lines().count(),
                "four attribute lines and the valve added, nothing else");
        NodeList valves = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(xml.toFile())
                .getElementsByTagName("Valve");
        Element quiet = null;
        for (int i = 0; i < valves.getLength(); i++) {
            Element v = (Element) valves.item(i);
            if (v.getAttribute("className").endsWith(".ErrorReportValve")) quiet = v;
        }
        assertTrue(
                quiet != null && "Host".equals(quiet.getParentNode().getNodeName()), "an ErrorReportValve in the Host");
        assertEquals("false", quiet.getAttribute("showServerInfo"), "Tomcat's own error pages do not name its version");
        assertEquals("false", quiet.getAttribute("showReport"));
        assertTrue(
                edited.contains("<!--\n    <Connector executor=\"tomcatThreadPool\""
                        .replace("\n", original.contains("\r\n") ? "\r\n" : "\n")),
                "the commented-out connector on 8080 is left alone");
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("server.xml.tally-orig")), "original kept beside it");
    }

    @Test
    void isIdempotentAndTakesValuesFromTheEnvironment() throws Exception {
        Path xml = stockServerXml("11.0.14");
        assertEquals(0, run(xml).status());
        byte[] once = Files.readAllBytes(xml);
        Proc.Result again = run(xml);
        assertTrue(again.output().contains("already has"), again.output());
        assertArrayEquals(once, Files.readAllBytes(xml));

        Proc.Result more = run(xml, "TALLY_TOMCAT_MAX_CONNECTIONS=50000", "TALLY_TOMCAT_ACCEPT_COUNT=nonsense");
        assertEquals(0, more.status(), more.output());
        assertTrue(more.output().contains("ignoring TALLY_TOMCAT_ACCEPT_COUNT=nonsense"), more.output());
        Element c = connectors(xml, "8080").get(0);
        assertEquals("50000", c.getAttribute("maxConnections"), "an existing value is replaced, not duplicated");
        assertEquals("1024", c.getAttribute("acceptCount"));
    }

    @Test
    void skipsWithoutFailingWhenThereIsNothingToEdit() throws Exception {
        Proc.Result missing = run(tmp.resolve("absent.xml"));
        assertEquals(0, missing.status(), "an optimisation must never fail a deployment");
        assertTrue(missing.output().contains("nothing to do"), missing.output());

        Path other = tmp.resolve("server.xml");
        String xml =
                "<Server port=\"-1\"><Service name=\"Catalina\"><Connector port=\"9090\" protocol=\"HTTP/1.1\"/></Service></Server>\n";
        Files.writeString(other, xml);
        Proc.Result noConnector = run(other);
        assertEquals(0, noConnector.status());
        assertTrue(noConnector.output().contains("found 0"), noConnector.output());
        assertEquals(xml, Files.readString(other));
        assertFalse(Files.exists(tmp.resolve("server.xml.tally-orig")));
    }

    @Test
    void aConfigurationDeploymentRunsTheSameHook() throws Exception {
        Path xml = stockServerXml("11.0.14");
        List<String> cmd = List.of(
                "env",
                "TALLY_SERVER_XML=" + xml,
                "TALLY_TOMCAT_MAX_CONNECTIONS=40000",
                "bash",
                Project.dir()
                        .resolve(".platform/confighooks/predeploy/20-tomcat-connector.sh")
                        .toString());
        Proc.Result r = Proc.run(cmd, tmp, 30_000);
        assertEquals(0, r.status(), r.output());
        assertEquals("40000", connectors(xml, "8080").get(0).getAttribute("maxConnections"));
    }
}
