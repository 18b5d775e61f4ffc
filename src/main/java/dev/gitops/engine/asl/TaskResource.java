package dev.gitops.engine.asl;

/**
 * A Task state's Resource, split as Step Functions splits it for its history: {@code arn:aws:states:::dynamodb:putItem}
 * is service {@code dynamodb}, action {@code putItem}; a suffix selects the integration pattern.
 */
public record TaskResource(String arn, String service, String action, Pattern pattern) {
    public enum Pattern {
        REQUEST_RESPONSE(""), SYNC(".sync"), WAIT_FOR_TASK_TOKEN(".waitForTaskToken");

        private final String suffix;

        Pattern(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    private static final String PREFIX = "arn:aws:states:::";

    /** The resource name as the history shows it: the action with its pattern suffix ({@code invoke.waitForTaskToken}). */
    public String historyResource() {
        return arn.substring(arn.indexOf(service + ":") + service.length() + 1);
    }

    /** Parses an optimized-integration ARN; returns null when the text is not one. */
    public static TaskResource parse(String arn) {
        if (arn == null || !arn.startsWith(PREFIX)) {
            return null;
        }
        String rest = arn.substring(PREFIX.length());
        String servicePart;
        String actionPart;
        if (rest.startsWith("aws-sdk:")) {
            int colon = rest.indexOf(':', "aws-sdk:".length());
            if (colon < 0) {
                return null;
            }
            servicePart = rest.substring(0, colon);
            actionPart = rest.substring(colon + 1);
        } else {
            int colon = rest.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            servicePart = rest.substring(0, colon);
            actionPart = rest.substring(colon + 1);
        }
        Pattern pattern = Pattern.REQUEST_RESPONSE;
        if (actionPart.endsWith(".waitForTaskToken")) {
            pattern = Pattern.WAIT_FOR_TASK_TOKEN;
            actionPart = actionPart.substring(0, actionPart.length() - ".waitForTaskToken".length());
        } else if (actionPart.endsWith(".sync") || actionPart.endsWith(".sync:2")) {
            pattern = Pattern.SYNC;
            actionPart = actionPart.substring(0, actionPart.lastIndexOf(".sync"));
        }
        if (actionPart.isEmpty() || !actionPart.matches("[A-Za-z0-9]+")) {
            return null;
        }
        return new TaskResource(arn, servicePart, actionPart, pattern);
    }
}
