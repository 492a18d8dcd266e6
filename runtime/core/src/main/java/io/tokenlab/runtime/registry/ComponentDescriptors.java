package io.tokenlab.runtime.registry;

import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Technique names declared in a bundle's Declarative Services descriptors. A bundle that cannot
 * resolve registers no services, so this is how {@code plugins} can still say which techniques it
 * would have provided.
 */
final class ComponentDescriptors {
    private ComponentDescriptors() {
    }

    static List<String> techniqueNames(Bundle bundle) {
        List<String> names = new ArrayList<>();
        Enumeration<URL> files;
        try {
            files = bundle.findEntries("OSGI-INF", "*.xml", false);
        } catch (IllegalStateException e) {
            return names;
        }
        if (files == null) {
            return names;
        }
        while (files.hasMoreElements()) {
            URL url = files.nextElement();
            try (InputStream in = url.openStream()) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Document doc = f.newDocumentBuilder().parse(in);
                NodeList props = doc.getElementsByTagName("property");
                for (int i = 0; i < props.getLength(); i++) {
                    Element p = (Element) props.item(i);
                    if ("tokenlab.technique".equals(p.getAttribute("name"))) {
                        String v = p.getAttribute("value");
                        names.add(v.isEmpty() ? p.getTextContent().trim() : v);
                    }
                }
            } catch (Exception e) {
                // not a component descriptor we can read; it declares nothing we can list
            }
        }
        return names;
    }
}
