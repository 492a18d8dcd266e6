package io.tokenlab.runtime.registry;

import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a technique's parameters from its bundle's OSGi metatype. The Metatype service gives ids,
 * types, defaults and options; ranges ({@code min}/{@code max} of {@code @AttributeDefinition}) are
 * not in the Metatype API, so they are read from the bundle's metatype XML.
 */
final class MetatypeReader {
    private final MetaTypeService metatype;

    MetatypeReader(MetaTypeService metatype) {
        this.metatype = metatype;
    }

    List<ParameterSpec> parameters(Bundle bundle, String pid) {
        if (metatype == null || pid == null) {
            return List.of();
        }
        MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
        if (info == null) {
            return List.of();
        }
        String ocdPid = Arrays.asList(info.getPids()).contains(pid) ? pid : null;
        if (ocdPid == null) {
            return List.of();
        }
        ObjectClassDefinition ocd = info.getObjectClassDefinition(ocdPid, null);
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (ads == null) {
            return List.of();
        }
        Map<String, String[]> ranges = ranges(bundle, ocd.getID());
        List<ParameterSpec> out = new ArrayList<>();
        for (AttributeDefinition ad : ads) {
            String[] range = ranges.getOrDefault(ad.getID(), new String[2]);
            String[] defaults = ad.getDefaultValue();
            String[] options = ad.getOptionValues();
            boolean required = (defaults == null || defaults.length == 0)
                    && Arrays.asList(ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED) == null
                    ? new AttributeDefinition[0] : ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED))
                    .stream().anyMatch(r -> r.getID().equals(ad.getID()));
            out.add(new ParameterSpec(ad.getID(), ad.getName(), ad.getDescription() == null ? "" : ad.getDescription(),
                    typeName(ad.getType()), ad.getCardinality(), required,
                    defaults == null ? List.of() : List.of(defaults),
                    options == null ? List.of() : List.of(options), range[0], range[1], false));
        }
        return Collections.unmodifiableList(out);
    }

    static String typeName(int type) {
        switch (type) {
            case AttributeDefinition.INTEGER:
                return "Integer";
            case AttributeDefinition.LONG:
                return "Long";
            case AttributeDefinition.DOUBLE:
                return "Double";
            case AttributeDefinition.FLOAT:
                return "Float";
            case AttributeDefinition.BOOLEAN:
                return "Boolean";
            case AttributeDefinition.SHORT:
                return "Short";
            case AttributeDefinition.BYTE:
                return "Byte";
            case AttributeDefinition.CHARACTER:
                return "Character";
            case AttributeDefinition.PASSWORD:
            case AttributeDefinition.STRING:
            default:
                return "String";
        }
    }

    /** {@code ad id -> [min, max]} from the bundle's metatype XML for one OCD. */
    private static Map<String, String[]> ranges(Bundle bundle, String ocdId) {
        Map<String, String[]> out = new HashMap<>();
        Enumeration<URL> files = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
        if (files == null) {
            return out;
        }
        while (files.hasMoreElements()) {
            URL url = files.nextElement();
            try (InputStream in = url.openStream()) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Document doc = f.newDocumentBuilder().parse(in);
                NodeList ocds = doc.getElementsByTagName("OCD");
                for (int i = 0; i < ocds.getLength(); i++) {
                    Element ocd = (Element) ocds.item(i);
                    if (!ocdId.equals(ocd.getAttribute("id"))) {
                        continue;
                    }
                    NodeList ads = ocd.getElementsByTagName("AD");
                    for (int j = 0; j < ads.getLength(); j++) {
                        Element ad = (Element) ads.item(j);
                        String min = ad.getAttribute("min");
                        String max = ad.getAttribute("max");
                        out.put(ad.getAttribute("id"), new String[] {min.isEmpty() ? null : min, max.isEmpty() ? null : max});
                    }
                }
            } catch (Exception e) {
                // A metatype file we cannot read only loses the ranges; the Metatype service still gave types.
            }
        }
        return out;
    }
}
