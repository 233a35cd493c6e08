package jmirage.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.syntax.elements.ClassesShouldConjunction;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import java.util.ArrayList;
import java.util.List;
import jmirage.archfixture.AmbientAuthority;
import org.junit.jupiter.api.Test;

/**
 * Explicit authority (ARCHITECTURE.md): outside the host target, the file-backed storage backends
 * and the launcher, code reaches the world only through the devices it was given. No files, sockets,
 * system clock, environment, threads, processes, ambient randomness or reflection (but for the
 * boot-parameter parser's, on the fields of parameters objects).
 */
class ExplicitAuthorityTest {

    /**
     * Packages allowed to touch the world: they are what builds the devices; and platform/testkit,
     * a test-scope library (it runs the tests' peers) that no unikernel links.
     */
    static final String[] TRUSTED = {"jmirage.host..", "jmirage.launcher..", "jmirage.kv.dir..", "jmirage.kv.git..",
        "jmirage.testkit.."};

    /** Platform/core's boot-parameter parser: held to its own rule, below. */
    static final String PARAMETER_PARSER = "jmirage.core.params..";

    static final ArchRule DEVICES_ONLY = withoutAmbientAuthority(noClasses()
            .that().resideInAPackage("jmirage..")
            .and().resideOutsideOfPackages(TRUSTED)
            .and().resideOutsideOfPackage(PARAMETER_PARSER), Reflection.REFUSED);

    /**
     * The boot-parameter parser reads the {@code @Option} fields of the parameters objects it is given
     * and sets them: reflection on our own annotations (getDeclaredFields, Field), and nothing else of
     * the ambient authority above.
     */
    static final ArchRule PARSER_REFLECTS_ONLY = withoutAmbientAuthority(noClasses()
            .that().resideInAPackage(PARAMETER_PARSER), Reflection.ON_FIELDS);

    enum Reflection { REFUSED, ON_FIELDS }

    private static ArchRule withoutAmbientAuthority(GivenClassesConjunction classes, Reflection reflection) {
        List<String> packages = new ArrayList<>(List.of("java.nio.file..", "java.nio.channels..",
                "java.util.concurrent.locks..", "sun..", "jdk.internal.."));
        if (reflection == Reflection.REFUSED) {
            packages.add("java.lang.reflect..");
        }
        ClassesShouldConjunction rule = classes
                .should().dependOnClassesThat().resideInAnyPackage(packages.toArray(String[]::new))
                .orShould().dependOnClassesThat(named("java.io.File", "java.io.RandomAccessFile",
                        "java.io.Console", "java.util.concurrent.Executor", "java.util.concurrent.ForkJoin",
                        "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
                        "java.util.concurrent.ThreadLocalRandom", "java.util.concurrent.CompletableFuture"))
                // SecureRandom as a type is fine (Bouncy Castle takes one: platform/tls wraps the Random
                // device in it); making one from the system's entropy is not.
                .orShould().callConstructor(java.security.SecureRandom.class)
                .orShould().callConstructor(java.security.SecureRandom.class, byte[].class)
                .orShould().callMethodWhere(target("java.security.SecureRandom", "getInstance"))
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "in")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URL")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.http.HttpClient")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Runtime")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ThreadGroup")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.invoke.MethodHandles")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Timer")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(System.class, "getProperties")
                .orShould().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(System.class, "load", String.class)
                .orShould().callMethod(System.class, "loadLibrary", String.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethodWhere(target("java.time.", "now"))
                .orShould().callMethodWhere(target("java.net.InetAddress", "getByName"))
                .orShould().callMethodWhere(target("java.net.InetAddress", "getAllByName"))
                .orShould().callMethodWhere(target("java.net.InetAddress", "getLocalHost"))
                .orShould().callMethodWhere(target("java.lang.Class", "forName"))
                .orShould().callMethodWhere(target("java.lang.Class", "getMethod"))
                .orShould().callMethodWhere(target("java.lang.Class", "getField"))
                .orShould().callMethodWhere(target("java.lang.Class", "getConstructor"))
                .orShould().callMethodWhere(target("java.lang.Class", "newInstance"));
        if (reflection == Reflection.REFUSED) {
            rule = rule.orShould().callMethodWhere(target("java.lang.Class", "getDeclared"));
        }
        return rule.because("a unikernel touches the world only through the devices it declares");
    }

    /** Classes whose name starts with one of {@code prefixes} (java.io.File covers FileInputStream...). */
    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> named(
            String... prefixes) {
        return com.tngtech.archunit.base.DescribedPredicate.describe(
                "named " + String.join(", ", prefixes) + "...",
                c -> java.util.Arrays.stream(prefixes).anyMatch(p -> c.getName().startsWith(p)));
    }

    /** Calls to methods of {@code owner} (a class or a package prefix) whose name starts with {@code prefix}. */
    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall> target(
            String owner, String prefix) {
        return com.tngtech.archunit.base.DescribedPredicate.describe(
                owner + "*." + prefix + "*",
                call -> call.getTargetOwner().getName().startsWith(owner) && call.getName().startsWith(prefix));
    }

    @Test
    void platformAndServicesReachTheWorldOnlyThroughDevices() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("jmirage");
        // Guard against a vacuous pass: the import must see the modules the rule is about.
        assertTrue(production.contain("jmirage.core.Promise"), "core imported");
        assertTrue(production.contain("jmirage.examples.echo.Echo"), "examples imported");
        assertTrue(production.contain("jmirage.sim.SimScheduler"), "sim imported");
        for (String module : new String[] {"jmirage.net.DirectStack", "jmirage.tls.TlsFlow",
                "jmirage.http.server.HttpServer", "jmirage.dns.MessageCodec", "jmirage.kv.block.BlockKv",
                "jmirage.authoritative.AuthoritativeDns", "jmirage.dhcpd.DhcpServer", "jmirage.pinata.Pinata", "jmirage.caldav.CalDav", "jmirage.canopy.Canopy"}) {
            assertTrue(production.contain(module), module + " imported");
        }
        assertTrue(production.contain("jmirage.core.params.ParameterParser"), "the parser imported");
        DEVICES_ONLY.check(production);
        PARSER_REFLECTS_ONLY.check(production);
    }

    @Test
    void theRuleFiresOnAmbientAuthority() {
        JavaClasses fixture = new ClassFileImporter().importClasses(AmbientAuthority.class);
        EvaluationResult result = DEVICES_ONLY.evaluate(fixture);
        assertTrue(result.hasViolation());
        String report = result.getFailureReport().toString();
        for (String expected : new String[] {"currentTimeMillis", "Instant.now", "java.nio.file.Files",
                "getenv", "java.lang.Thread", "ProcessBuilder", "forName", "getByName", "SecureRandom.<init>"}) {
            assertTrue(report.contains(expected), "rule reports " + expected + ":\n" + report);
        }
        assertFalse(DEVICES_ONLY.allowEmptyShould(true)
                .evaluate(new ClassFileImporter().importClasses(HostTarget.class)).hasViolation(),
                "the launcher is trusted");
    }
}
