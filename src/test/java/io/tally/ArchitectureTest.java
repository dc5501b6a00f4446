package io.tally;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the main sources (see the package-info of each): dependencies point one way,
 * from the wiring down to the core's public API, so a cycle or a shortcut fails the build.
 */
class ArchitectureTest {
    private static final String API = "io.tally.realtime";
    private static final String SESSION = "io.tally.realtime.session..";
    private static final String BROKER_SPI = "io.tally.realtime.broker";
    private static final String TRANSPORT_SPI = "io.tally.realtime.transport";
    private static final String PROTOCOL = "io.tally.realtime.protocol..";
    private static final String[] BROKERS = {"io.tally.realtime.broker.memory..", "io.tally.realtime.broker.redis.."};
    private static final String[] TRANSPORTS = {
        "io.tally.realtime.transport.websocket..", "io.tally.realtime.transport.polling.."
    };

    /** The main classes only, read from where they were compiled (faster than scanning the classpath). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(mainClasses());

    @Test
    void noPackageIsPartOfACycle() {
        slices().matching("io.tally.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theCoresPublicApiDependsOnNothingOfOursButSettingsAndJson() {
        classes()
                .that()
                .resideInAPackage(API)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(API, "io.tally.config..", "io.tally.json..", "java..")
                .check(MAIN);
    }

    @Test
    void theSpisAndTheProtocolKnowNoInternalsBrokersOrTransports() {
        noClasses()
                .that()
                .resideInAnyPackage(API, BROKER_SPI, TRANSPORT_SPI, PROTOCOL)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(new String[] {SESSION}, BROKERS, TRANSPORTS))
                .check(MAIN);
    }

    @Test
    void theSessionInternalsKnowNoBrokerOrTransportImplementation() {
        noClasses()
                .that()
                .resideInAPackage(SESSION)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(BROKERS, TRANSPORTS))
                .check(MAIN);
    }

    @Test
    void brokersDependOnNeitherEachOtherNorTransportsNorTheInternals() {
        slices().matching("io.tally.realtime.broker.(*)..")
                .should()
                .notDependOnEachOther()
                .check(MAIN);
        noClasses()
                .that()
                .resideInAnyPackage(BROKERS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SESSION, PROTOCOL, "io.tally.realtime.transport..")
                .check(MAIN);
    }

    @Test
    void transportsDependOnNeitherEachOtherNorBrokersNorTheInternals() {
        slices().matching("io.tally.realtime.transport.(*)..")
                .should()
                .notDependOnEachOther()
                .check(MAIN);
        noClasses()
                .that()
                .resideInAnyPackage(TRANSPORTS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SESSION, "io.tally.realtime.broker..")
                .check(MAIN);
    }

    @Test
    void theAppsUseOnlyTheCoresPublicApi() {
        classes()
                .that()
                .resideInAnyPackage("io.tally.scoreboard..", "io.tally.doctor..", "io.tally.observability..")
                .should()
                .onlyDependOnClassesThat(
                        resideOutsideOfPackage("io.tally.realtime..").or(resideInAPackage(API)))
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheCompositionRoot() {
        noClasses()
                .that(not(resideInAPackage("io.tally")))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tally")
                .check(MAIN);
    }

    private static Path mainClasses() {
        try {
            return Path.of(TallyBootstrap.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
