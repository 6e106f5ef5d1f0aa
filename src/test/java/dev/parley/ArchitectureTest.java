package dev.parley;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages are capabilities layered on each other: a package that needs another's role implemented elsewhere
 * defines the role (as {@code room.RoomStore}, implemented in {@code store}), and no two packages need each other.
 */
class ArchitectureTest {

    private static final JavaClasses PARLEY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley");

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("dev.parley.(*)..").should().beFreeOfCycles().check(PARLEY);
    }
}
