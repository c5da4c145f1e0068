import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks that bom/pom.xml lists every published module of the reactor, and nothing else of ours.
 *
 * <p>Run from the repository root with {@code java scripts/CheckBom.java} (scripts/test-all.sh does).
 * It reads the POM files only, so it needs no build and no local repository and takes a second.
 *
 * <p>A module is published unless its POM, or a parent POM in this tree, sets the property {@code
 * sio4j.unpublished} to {@code true}; aggregator and parent POMs (packaging pom) are not expected in
 * the BOM. Modules added later are found through the {@code <modules>} lists, so a new module is
 * either in the BOM or marked unpublished, or this check fails. Each published POM must also carry
 * its own name and description, which Central requires and Maven does not inherit (name) or which
 * would otherwise be the parent's (description).
 *
 * <p>Fails (exit 1) when a published module is missing from the BOM, when the BOM lists an
 * unpublished module, or when a BOM entry is not at {@code ${project.version}}. A BOM entry that names
 * no module of this tree is only reported: the BOM may list a module before its branch is merged.
 *
 * <p>Thread-safety: a single-threaded command-line program.
 */
public final class CheckBom {

  private static final String BOM_DIR = "bom";

  private record Module(
      Path dir, String groupId, String artifactId, String packaging, boolean unpublished) {}

  private CheckBom() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    List<String> errors = new ArrayList<>();
    Map<String, Module> modules = new LinkedHashMap<>();
    collect(root, root, modules, errors);

    Element bom = parse(root.resolve(BOM_DIR).resolve("pom.xml"));
    String bomGroup = text(bom, "groupId", inheritedGroupId(bom));
    Map<String, String> entries = new LinkedHashMap<>();
    Element dm = child(bom, "dependencyManagement");
    Element deps = dm == null ? null : child(dm, "dependencies");
    if (deps != null) {
      for (Element dep : children(deps, "dependency")) {
        String key = text(dep, "groupId", "") + ":" + text(dep, "artifactId", "");
        entries.put(key, text(dep, "version", ""));
      }
    }

    int published = 0;
    for (Module m : modules.values()) {
      String key = m.groupId() + ":" + m.artifactId();
      String where = root.relativize(m.dir()).toString();
      where = where.isEmpty() ? "." : where;
      if (m.unpublished()) {
        if (entries.containsKey(key)) {
          errors.add(
              "bom/pom.xml lists " + key + ", but " + where + " is marked sio4j.unpublished");
        }
        continue;
      }
      Element pom = parse(m.dir().resolve("pom.xml"));
      for (String required : List.of("name", "description")) {
        if (text(pom, required, "").isBlank()) {
          errors.add(where + "/pom.xml: a published module needs its own <" + required + ">");
        }
      }
      if (m.packaging().equals("pom")) {
        continue;
      }
      published++;
      if (!entries.containsKey(key)) {
        errors.add(
            where
                + " ("
                + key
                + ") is published but missing from bom/pom.xml: add it there, or set"
                + " <sio4j.unpublished>true</sio4j.unpublished> in its pom.xml");
      }
    }
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (!e.getKey().startsWith(bomGroup + ":")) {
        errors.add("bom/pom.xml manages " + e.getKey() + ": the BOM lists our own modules only");
      } else if (!e.getValue().equals("${project.version}")) {
        errors.add(
            "bom/pom.xml: " + e.getKey() + " must be at ${project.version}, not " + e.getValue());
      } else if (!modules.containsKey(e.getKey())) {
        System.out.println(
            "check-bom: note: bom/pom.xml lists " + e.getKey() + ", not a module of this tree (yet)");
      }
    }

    if (!errors.isEmpty()) {
      errors.forEach(err -> System.err.println("check-bom: " + err));
      System.exit(1);
    }
    System.out.println(
        "check-bom: OK, " + published + " published jar modules, all in bom/pom.xml");
  }

  /** Walks the reactor from {@code dir} through the {@code <modules>} lists. */
  private static void collect(Path root, Path dir, Map<String, Module> out, List<String> errors)
      throws Exception {
    Path pomFile = dir.resolve("pom.xml");
    if (!Files.isRegularFile(pomFile)) {
      errors.add(root.relativize(dir) + " is listed as a module but has no pom.xml");
      return;
    }
    Element pom = parse(pomFile);
    String groupId = text(pom, "groupId", inheritedGroupId(pom));
    String artifactId = text(pom, "artifactId", "");
    String packaging = text(pom, "packaging", "jar");
    Module m = new Module(dir, groupId, artifactId, packaging, unpublished(dir, pom, errors));
    out.put(groupId + ":" + artifactId, m);
    Element modules = child(pom, "modules");
    if (modules != null) {
      for (Element module : children(modules, "module")) {
        collect(root, dir.resolve(module.getTextContent().trim()).normalize(), out, errors);
      }
    }
  }

  /** The module's own sio4j.unpublished, else its parent POM's in this tree, else false. */
  private static boolean unpublished(Path dir, Element pom, List<String> errors) throws Exception {
    Element props = child(pom, "properties");
    Element flag = props == null ? null : child(props, "sio4j.unpublished");
    if (flag != null) {
      String value = flag.getTextContent().trim();
      if (!value.equals("true") && !value.equals("false")) {
        errors.add(dir.resolve("pom.xml") + ": sio4j.unpublished must be true or false literally");
      }
      return value.equals("true");
    }
    Element parent = child(pom, "parent");
    if (parent == null) {
      return false;
    }
    Element rel = child(parent, "relativePath");
    String relativePath = rel == null ? "../pom.xml" : rel.getTextContent().trim();
    if (relativePath.isEmpty()) {
      return false;
    }
    Path parentPom = dir.resolve(relativePath).normalize();
    if (Files.isDirectory(parentPom)) {
      parentPom = parentPom.resolve("pom.xml");
    }
    if (!Files.isRegularFile(parentPom)) {
      return false;
    }
    Element parentElement = parse(parentPom);
    if (!text(parentElement, "artifactId", "").equals(text(parent, "artifactId", ""))) {
      return false;
    }
    return unpublished(parentPom.getParent(), parentElement, errors);
  }

  private static String inheritedGroupId(Element pom) {
    Element parent = child(pom, "parent");
    return parent == null ? "" : text(parent, "groupId", "");
  }

  private static Element parse(Path file) throws Exception {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    } catch (IOException e) {
      throw new IOException("cannot read " + file, e);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name, String otherwise) {
    Element e = child(parent, name);
    return e == null ? otherwise : e.getTextContent().trim();
  }
}
