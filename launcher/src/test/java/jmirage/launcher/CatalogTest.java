package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The catalogue's unikernel named by its class, as an image's launch script names it (decision 23). */
class CatalogTest {

    @Test
    void aClassNamedByTheImageIsMadeAsTheServiceLoaderWouldMakeIt() {
        assertEquals("echo", Catalog.named("jmirage.examples.echo.Echo").name());
        assertTrue(Catalog.ALL.stream().anyMatch(u -> u.getClass() == Catalog.named("jmirage.examples.echo.Echo").getClass()));
    }

    @Test
    void aClassThatIsNoUnikernelOrIsNotThereIsAPackagingBugNamedInOneLine() {
        IllegalStateException notAUnikernel = assertThrows(IllegalStateException.class, () -> Catalog.named("java.lang.String"));
        assertTrue(notAUnikernel.getMessage().startsWith("-Djmirage.unikernel.class=java.lang.String names no unikernel"),
                notAUnikernel.getMessage());
        assertThrows(IllegalStateException.class, () -> Catalog.named("jmirage.examples.echo.NoSuchThing"));
    }
}
