package io.tokenlab.api.testkit;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

/**
 * The values at the edges of what a technique's metatype accepts, read from the metatype XML that
 * bnd generates from its {@code Config} ({@code OSGI-INF/metatype/<class>$Config.xml} on the class
 * path, the same file the runtime's validator checks pipeline files against): each numeric
 * parameter's {@code min} and {@code max}, each option of an option list. A kit runs the technique at
 * every one, so the metatype and the code cannot disagree about what is accepted.
 */
public final class MetatypeBounds {
    /** One parameter value at a bound: the id, the value typed as the metatype says, and which bound. */
    public record Bound(String id, Object value, String which) {
        @Override
        public String toString() {
            return id + " = " + value + " (" + which + ")";
        }
    }

    private MetatypeBounds() {
    }

    /** The bounds of {@code technique}'s metatype; empty when it has none (a technique without a Config). */
    public static List<Bound> of(Class<?> technique) {
        String resource = "/OSGI-INF/metatype/" + technique.getName() + "$Config.xml";
        List<Bound> out = new ArrayList<>();
        try (InputStream in = technique.getResourceAsStream(resource)) {
            if (in == null) {
                return out;
            }
            NodeList ads = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("AD");
            for (int i = 0; i < ads.getLength(); i++) {
                Element ad = (Element) ads.item(i);
                String id = ad.getAttribute("id");
                String type = ad.getAttribute("type");
                for (String which : new String[]{"min", "max"}) {
                    if (ad.hasAttribute(which)) {
                        out.add(new Bound(id, typed(type, ad.getAttribute(which)), which));
                    }
                }
                NodeList options = ad.getElementsByTagName("Option");
                for (int o = 0; o < options.getLength(); o++) {
                    out.add(new Bound(id, typed(type, ((Element) options.item(o)).getAttribute("value")), "option"));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e, e);
        }
        return out;
    }

    private static Object typed(String type, String text) {
        switch (type) {
            case "Integer":
                return Integer.parseInt(text);
            case "Long":
                return Long.parseLong(text);
            case "Double":
                return Double.parseDouble(text);
            case "Float":
                return Float.parseFloat(text);
            case "Boolean":
                return Boolean.parseBoolean(text);
            default:
                return text;
        }
    }
}
