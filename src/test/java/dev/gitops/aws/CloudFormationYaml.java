package dev.gitops.aws;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a CloudFormation template as plain maps: a short-form intrinsic ({@code !Ref X}, {@code !Sub "..."},
 * {@code !If [...]}) becomes the long form CloudFormation itself sees ({@code {"Ref": "X"}}, {@code {"Fn::Sub": ...}}).
 */
final class CloudFormationYaml extends SafeConstructor {
    private CloudFormationYaml() {
        super(new LoaderOptions());
        yamlConstructors.put(null, new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue().substring(1);
                String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = tag.equals("GetAtt") ? java.util.List.of(constructScalar(scalar).split("\\.", 2)) : constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(name, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path template) throws IOException {
        return (Map<String, Object>) new Yaml(new CloudFormationYaml()).load(Files.readString(template));
    }
}
