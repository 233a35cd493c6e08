package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.ClassReader;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.ClassVisitor;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.MethodVisitor;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.Opcodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jmirage.archfixture.DeviceDowncast;
import jmirage.core.Clock;
import jmirage.core.Random;
import jmirage.core.Scheduler;
import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.net.Link;
import jmirage.core.net.Net;
import jmirage.core.net.Stack;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * Capabilities instead of downcasts (ARCHITECTURE.md, "Capabilities"; decision 0005): outside the
 * launcher, the sim target and a device's own module, no code names a concrete device class (a
 * class implementing a device interface of platform/core: {@code GitKv}, {@code DirKv},
 * {@code MemKv}, {@code BlockKv}, {@code DirectStack}, {@code HostStack}, {@code TapDevice},
 * {@code FileBlock}...) in an {@code instanceof}, a cast, or the type of a field, a parameter or a
 * return value. A service that needs what only some backends offer claims a capability instead.
 */
class NoDeviceDowncastsTest {

    /** The device interfaces and capabilities of platform/core. */
    static final Set<Class<?>> DEVICE_INTERFACES = Set.of(
            Kv.class, KvSync.class, Block.class, Net.class, Stack.class, Link.class, Clock.class, Scheduler.class, Random.class);

    /** Who may name concrete devices: the launcher assembles targets, the sim target builds its own. */
    static final String[] ASSEMBLERS = {"jmirage.launcher", "jmirage.sim"};

    /** A class of the build, outside platform/core, that implements a device interface. */
    static boolean isConcreteDevice(String className) {
        if (!className.startsWith("jmirage.") || className.startsWith("jmirage.core.")) {
            return false;
        }
        Class<?> c;
        try {
            c = Class.forName(className, false, NoDeviceDowncastsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("named in bytecode but not on the class path: " + className, e);
        }
        return !c.isInterface() && DEVICE_INTERFACES.stream().anyMatch(i -> i.isAssignableFrom(c));
    }

    /** {@code jmirage.kv} for {@code jmirage.kv.git.GitKv}: a platform module or a service is its first package below jmirage. */
    static String module(String className) {
        String[] parts = className.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] : className;
    }

    static boolean mayName(JavaClass user, String deviceClass) {
        String userModule = module(user.getName());
        for (String assembler : ASSEMBLERS) {
            if (userModule.equals(assembler)) {
                return true;
            }
        }
        return userModule.equals(module(deviceClass));
    }

    static final ArchRule NO_DOWNCASTS = classes()
            .that().resideInAPackage("jmirage..")
            .should(new ArchCondition<JavaClass>("not name a concrete device class of another module"
                    + " (instanceof, cast, field, parameter or return type)") {
                @Override
                public void check(JavaClass user, ConditionEvents events) {
                    for (String violation : violations(user)) {
                        events.add(SimpleConditionEvent.violated(user, violation));
                    }
                }
            })
            .because("a service claims a capability (devices.kvSync(), devices.link()) instead of casting a device"
                    + " to its implementation (decision 0005)");

    static List<String> violations(JavaClass user) {
        List<String> found = new ArrayList<>();
        for (JavaField field : user.getFields()) {
            check(user, field.getRawType(), field.getFullName() + " has the type of", found);
        }
        for (JavaCodeUnit unit : user.getCodeUnits()) {
            for (JavaClass parameter : unit.getRawParameterTypes()) {
                check(user, parameter, unit.getFullName() + " takes a parameter of", found);
            }
            check(user, unit.getRawReturnType(), unit.getFullName() + " returns", found);
            unit.getInstanceofChecks().forEach(i ->
                    check(user, i.getRawType(), unit.getFullName() + " checks instanceof (line " + i.getLineNumber() + ")", found));
        }
        for (String cast : casts(user)) {
            check(user, cast, user.getName() + " casts to", found);
        }
        return found;
    }

    private static void check(JavaClass user, JavaClass type, String what, List<String> found) {
        check(user, (type.isArray() ? type.getBaseComponentType() : type).getName(), what, found);
    }

    private static void check(JavaClass user, String type, String what, List<String> found) {
        if (isConcreteDevice(type) && !mayName(user, type)) {
            found.add(what + " the concrete device " + type);
        }
    }

    /**
     * The classes {@code user}'s bytecode casts to ({@code checkcast}): ArchUnit records instanceof
     * checks but not casts, so the class file is read with the ASM that ArchUnit itself ships.
     */
    static Set<String> casts(JavaClass user) {
        String resource = "/" + user.getName().replace('.', '/') + ".class";
        Set<String> targets = new java.util.TreeSet<>();
        try (InputStream in = user.reflect().getResourceAsStream(resource)) {
            if (in == null) {
                return targets;
            }
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            if (opcode == Opcodes.CHECKCAST && !type.startsWith("[")) {
                                targets.add(type.replace('/', '.'));
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    @Test
    void servicesClaimCapabilitiesInsteadOfCastingDevices() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("jmirage");
        // Guard against a vacuous pass: the devices and their would-be users are all imported.
        for (String device : new String[] {"jmirage.kv.git.GitKv", "jmirage.kv.dir.DirKv", "jmirage.kv.MemKv",
                "jmirage.kv.block.BlockKv", "jmirage.net.DirectStack", "jmirage.host.HostStack", "jmirage.host.TapDevice",
                "jmirage.host.FileBlock"}) {
            assertTrue(production.contain(device) && isConcreteDevice(device), device + " is an imported concrete device");
        }
        for (String service : new String[] {"jmirage.authoritative.AuthoritativeDns", "jmirage.dhcpd.DhcpServer",
                "jmirage.pinata.Pinata", "jmirage.examples.echo.Echo", "jmirage.caldav.CalDav", "jmirage.canopy.Canopy"}) {
            assertTrue(production.contain(service), service + " imported");
        }
        NO_DOWNCASTS.check(production);
    }

    @Test
    void theRuleFiresOnEachWayOfNamingADevice() {
        EvaluationResult result = NO_DOWNCASTS.evaluate(new ClassFileImporter().importClasses(DeviceDowncast.class,
                jmirage.kv.git.GitKv.class, jmirage.net.DirectStack.class, jmirage.kv.MemKv.class, jmirage.host.FileBlock.class));
        assertTrue(result.hasViolation());
        String report = result.getFailureReport().toString();
        for (String expected : new String[] {
                "DeviceDowncast.git has the type of the concrete device jmirage.kv.git.GitKv",
                "DeviceDowncast.unicast(jmirage.net.DirectStack) takes a parameter of the concrete device jmirage.net.DirectStack",
                "DeviceDowncast.cache() returns the concrete device jmirage.kv.MemKv",
                "checks instanceof (line", "casts to the concrete device jmirage.host.FileBlock"}) {
            assertTrue(report.contains(expected), "rule reports " + expected + ":\n" + report);
        }
        assertFalse(report.contains("Class <jmirage.kv.git.GitKv>") || report.contains("Class <jmirage.net.DirectStack>"),
                "a device's own module may name it:\n" + report);
        assertFalse(NO_DOWNCASTS.evaluate(new ClassFileImporter().importClasses(KvSpec.class, HostTarget.class)).hasViolation(),
                "the launcher assembles devices");
    }
}
