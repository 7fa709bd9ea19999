package io.scaflow.local.stack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * CloudFormation YAML read token by token, so that short tags ({@code !Ref X}, {@code !GetAtt X.Arn},
 * {@code !Sub ...}, any {@code !Name}) become their long JSON form ({@code {"Ref": "X"}},
 * {@code {"Fn::GetAtt": ["X", "Arn"]}}, {@code {"Fn::Sub": ...}}, {@code {"Fn::Name": ...}}): Jackson's YAML tree
 * reader would silently drop them. Each node's tag is taken from {@link JsonParser#getTypeId()}.
 */
final class TemplateYaml {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TemplateYaml() {
    }

    /** The YAML text as a tree, short tags in their long form; {@code {}} for an empty text. */
    static JsonNode parse(String yaml) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return NODES.objectNode();
            }
            return readValue(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed template YAML", e);
        }
    }

    /** Reads the value at the parser's current token, wrapping a tagged node in its intrinsic function. */
    private static JsonNode readValue(JsonParser parser) throws IOException {
        Object typeId = parser.getTypeId();
        String tag = intrinsicTag(typeId == null ? null : typeId.toString());
        JsonNode value;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, readValue(parser));
                }
                value = object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                value = array;
            }
            case VALUE_STRING -> value = NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> value = NODES.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> value = NODES.booleanNode(true);
            case VALUE_FALSE -> value = NODES.booleanNode(false);
            case VALUE_NULL -> value = NODES.nullNode();
            default -> throw new IOException("unexpected YAML token " + parser.currentToken());
        }
        return tag == null ? value : intrinsic(tag, value);
    }

    /** A CloudFormation short tag's name ({@code Ref}, {@code GetAtt}, ...), or null for no or a YAML core tag. */
    private static String intrinsicTag(String typeId) {
        if (typeId == null || typeId.isEmpty() || typeId.startsWith("tag:yaml.org")) {
            return null;
        }
        String tag = typeId;
        while (tag.startsWith("!")) {
            tag = tag.substring(1);
        }
        return tag.isEmpty() ? null : tag;
    }

    private static JsonNode intrinsic(String tag, JsonNode value) {
        ObjectNode wrapped = NODES.objectNode();
        if (tag.equals("Ref") || tag.equals("Condition")) {
            wrapped.set(tag, value);
        } else if (tag.equals("GetAtt") && value.isTextual()) {
            String text = value.asText();
            int dot = text.indexOf('.');
            ArrayNode parts = NODES.arrayNode();
            parts.add(dot < 0 ? text : text.substring(0, dot));
            if (dot >= 0) {
                parts.add(text.substring(dot + 1));
            }
            wrapped.set("Fn::GetAtt", parts);
        } else {
            wrapped.set("Fn::" + tag, value);
        }
        return wrapped;
    }
}
