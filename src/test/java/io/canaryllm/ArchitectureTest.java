package io.canaryllm;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of the code (README, "Code map"), checked on the compiled main classes: no package cycles, the canonical
 * model and core below everything, and each wire package on its own (no Camel, no HTTP layer, no other wire).
 */
class ArchitectureTest {
    /**
     * Read from where the main classes were compiled, not by package: ArchUnit tells test classes by a path such as
     * target/test-classes, which a build with -Dbuild.dir=… does not have (the tests' cross-wire calls then failed it).
     */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .importPath(mainClasses());

    private static java.nio.file.Path mainClasses() {
        try {
            return java.nio.file.Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The wire packages that speak one protocol each; sse, mapping and the Wire interface are shared by all. */
    private static final List<String> WIRES = List.of("io.canaryllm.wire.openai.chat", "io.canaryllm.wire.openai.responses",
            "io.canaryllm.wire.anthropic", "io.canaryllm.wire.gemini", "io.canaryllm.wire.bedrock");

    @Test
    void noPackageCycles() {
        // every package its own slice (wire.anthropic and wire.gemini are two), so a cycle between siblings counts too
        slices().matching("io.canaryllm.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void awsImportsOnlyConfigAndCore() {
        noClasses().that().resideInAPackage("io.canaryllm.aws..")
                .should().dependOnClassesThat(ours().and(resideOutsideOfPackages("io.canaryllm.aws..", "io.canaryllm.config..",
                        "io.canaryllm.core..")))
                .check(MAIN);
    }

    @Test
    void canonicalModelImportsNothingOfOurs() {
        noClasses().that().resideInAPackage("io.canaryllm.canonical..")
                .should().dependOnClassesThat(ours().and(resideOutsideOfPackages("io.canaryllm.canonical..")))
                .check(MAIN);
    }

    @Test
    void coreImportsNothingOfOursNorCamel() {
        noClasses().that().resideInAPackage("io.canaryllm.core..")
                .should().dependOnClassesThat(ours().and(resideOutsideOfPackages("io.canaryllm.core..")))
                .orShould().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.vertx..")
                .check(MAIN);
    }

    @Test
    void wirePackagesUseNoCamelNoHttpLayer() {
        classes().that().resideInAPackage("io.canaryllm.wire..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackages("io.canaryllm..", "org.apache.camel..", "io.vertx..",
                        "org.eclipse.jetty..").or(resideInAnyPackage("io.canaryllm.core..", "io.canaryllm.canonical..",
                        "io.canaryllm.wire..")))
                .check(MAIN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"io.canaryllm.wire.openai.chat", "io.canaryllm.wire.openai.responses",
            "io.canaryllm.wire.anthropic", "io.canaryllm.wire.gemini", "io.canaryllm.wire.bedrock", "io.canaryllm.wire.sse",
            "io.canaryllm.wire.mapping"})
    void aWirePackageImportsNoOtherWire(String pkg) {
        String[] others = WIRES.stream().filter(w -> !w.equals(pkg)).map(w -> w + "..").toArray(String[]::new);
        noClasses().that().resideInAPackage(pkg + "..").should().dependOnClassesThat().resideInAnyPackage(others)
                .because("a wire names another vendor only through core.Protocol; shared rules live in wire.sse and wire.mapping")
                .check(MAIN);
    }

    private static DescribedPredicate<JavaClass> ours() { return resideInAPackage("io.canaryllm.."); }
}
