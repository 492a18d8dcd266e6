package io.tokenlab.runtime.registry;

import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXParseException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundle's Declarative Services descriptors, read by the runtime itself: which techniques they
 * declare (a bundle that cannot resolve registers no services, so this is how {@code plugins} still
 * says what it would have provided), and what is wrong with them. Service Component Runtime reports
 * a malformed descriptor or a missing implementation class only in its log, as a stack trace.
 */
public final class ComponentDescriptors {
    private static final Pattern TECHNIQUE_PROPERTY =
            Pattern.compile("name=\"tokenlab\\.technique\"[^>]*?value=\"([^\"]+)\"");

    /** Problems per bundle id, for the revision (last-modified time) they were read from. */
    private static final java.util.Map<Long, Checked> CHECKED = new java.util.concurrent.ConcurrentHashMap<>();

    private record Checked(long modified, List<Problem> problems, List<String> components) {
    }

    private ComponentDescriptors() {
    }

    /**
     * What is wrong with one descriptor.
     *
     * @param component  the component's name; null when the descriptor could not be read at all
     * @param techniques the techniques the descriptor declares, as far as they can be read
     * @param message    the reason, naming the descriptor entry and the class or line
     */
    public record Problem(String component, List<String> techniques, String message) {
    }

    /** One descriptor file as read: its components, or why it cannot be read. */
    private record Descriptor(String entry, Document document, String error, String text) {
    }

    static List<String> techniqueNames(Bundle bundle) {
        List<String> names = new ArrayList<>();
        for (Descriptor d : descriptors(bundle)) {
            if (d.document != null) {
                for (Element c : components(d.document)) {
                    names.addAll(techniques(c));
                }
            } else {
                names.addAll(techniquesInText(d.text));
            }
        }
        return names;
    }

    /**
     * Descriptors that cannot be read and components whose implementation class the bundle cannot
     * load. Class lookups use the bundle's class space, so call this on a resolved bundle.
     */
    public static List<Problem> problems(Bundle bundle) {
        if ((bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            CHECKED.remove(bundle.getBundleId());
            return bundle.getState() == Bundle.UNINSTALLED ? List.of() : read(bundle); // not cached: unresolved
        }
        return checked(bundle).problems;
    }

    /**
     * The names of the components the bundle's readable descriptors declare (a descriptor that cannot
     * be read declares none that Service Component Runtime will ever register). Call on a resolved bundle.
     */
    public static List<String> componentNames(Bundle bundle) {
        return checked(bundle).components;
    }

    private static Checked checked(Bundle bundle) {
        long modified = bundle.getLastModified();
        Checked c = CHECKED.get(bundle.getBundleId());
        if (c == null || c.modified != modified) {
            List<Descriptor> descriptors = descriptors(bundle);
            List<String> names = new ArrayList<>();
            for (Descriptor d : descriptors) {
                if (d.document != null) {
                    for (Element e : components(d.document)) {
                        names.add(componentName(e));
                    }
                }
            }
            c = new Checked(modified, List.copyOf(read(bundle, descriptors)), List.copyOf(names));
            CHECKED.put(bundle.getBundleId(), c);
        }
        return c;
    }

    private static List<Problem> read(Bundle bundle) {
        return read(bundle, descriptors(bundle));
    }

    private static List<Problem> read(Bundle bundle, List<Descriptor> descriptors) {
        List<Problem> out = new ArrayList<>();
        for (Descriptor d : descriptors) {
            if (d.document == null) {
                out.add(new Problem(null, techniquesInText(d.text), d.error));
                continue;
            }
            for (Element c : components(d.document)) {
                String name = c.getAttribute("name");
                NodeList impls = c.getElementsByTagName("implementation");
                String cls = impls.getLength() == 0 ? "" : ((Element) impls.item(0)).getAttribute("class").trim();
                if (cls.isEmpty()) {
                    out.add(new Problem(name, techniques(c), d.entry + ": component '" + name
                            + "' has no <implementation class=...>"));
                } else if (bundle.getResource(cls.replace('.', '/') + ".class") == null) {
                    out.add(new Problem(name, techniques(c), d.entry + " names component class " + cls
                            + ", which the jar neither contains nor imports"));
                }
            }
        }
        return out;
    }

    /** The entries the Service-Component header names (wildcards in the last segment allowed). */
    private static List<Descriptor> descriptors(Bundle bundle) {
        List<Descriptor> out = new ArrayList<>();
        String header;
        try {
            header = bundle.getHeaders().get("Service-Component");
        } catch (IllegalStateException e) {
            return out; // uninstalled meanwhile
        }
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String raw : header.split(",")) {
            String entry = raw.split(";")[0].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.lastIndexOf('/');
            String dir = slash < 0 ? "/" : entry.substring(0, slash);
            String pattern = entry.substring(slash + 1);
            Enumeration<URL> files;
            try {
                files = bundle.findEntries(dir.isEmpty() ? "/" : dir, pattern, false);
            } catch (IllegalStateException e) {
                return out;
            }
            if (files == null || !files.hasMoreElements()) {
                if (!pattern.contains("*")) {
                    out.add(new Descriptor(entry, null, "Service-Component names " + entry
                            + ", which the jar does not contain", ""));
                }
                continue;
            }
            while (files.hasMoreElements()) {
                out.add(read(files.nextElement()));
            }
        }
        return out;
    }

    private static Descriptor read(URL url) {
        String entry = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        } catch (Exception e) {
            return new Descriptor(entry, null, entry + ": cannot be read: " + e.getMessage(), "");
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(true);
            javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            // the exception carries the message; the default handler would also print it on stderr
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            Document doc = builder.parse(new java.io.ByteArrayInputStream(bytes));
            return new Descriptor(entry, doc, null, text);
        } catch (SAXParseException e) {
            return new Descriptor(entry, null, entry + ":" + e.getLineNumber() + ":" + e.getColumnNumber()
                    + ": not a valid component descriptor (XML): " + e.getMessage(), text);
        } catch (Exception e) {
            return new Descriptor(entry, null, entry + ": not a valid component descriptor (XML): "
                    + e.getMessage(), text);
        }
    }

    /** A component's name; without the attribute, its implementation class (Declarative Services 1.1). */
    private static String componentName(Element component) {
        String name = component.getAttribute("name").trim();
        NodeList impls = component.getElementsByTagName("implementation");
        return name.isEmpty() && impls.getLength() > 0 ? ((Element) impls.item(0)).getAttribute("class").trim() : name;
    }

    /** Component elements: the root (namespaced or not) or its children named component. */
    private static List<Element> components(Document doc) {
        List<Element> out = new ArrayList<>();
        Element root = doc.getDocumentElement();
        if ("component".equals(root.getLocalName())) {
            out.add(root);
            return out;
        }
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && "component".equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> techniques(Element component) {
        List<String> names = new ArrayList<>();
        NodeList props = component.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            if ("tokenlab.technique".equals(p.getAttribute("name"))) {
                String v = p.getAttribute("value");
                names.add(v.isEmpty() ? p.getTextContent().trim() : v);
            }
        }
        return names;
    }

    /** Best effort for a descriptor that does not parse: the technique names it spells out. */
    private static List<String> techniquesInText(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = TECHNIQUE_PROPERTY.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
