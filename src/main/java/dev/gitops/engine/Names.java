package dev.gitops.engine;

/** Names and ARNs as Step Functions accepts them. */
final class Names {
    private static final String FORBIDDEN = " <>{}[]?*\"#%\\^|~`$&,;:/";

    private Names() {
    }

    /** 1 to 80 characters, none of white space, brackets, wildcards, special or control characters. */
    static void check(String name) {
        if (name == null || name.isEmpty() || name.length() > 80) {
            throw new EngineException("InvalidName", "Invalid Name: '" + name + "' (1 to 80 characters)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || FORBIDDEN.indexOf(c) >= 0 || c <= 0x1F || (c >= 0x7F && c <= 0x9F)
                    || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                throw new EngineException("InvalidName", "Invalid Name: '" + name + "' (it may not contain white space,"
                        + " brackets, wildcards, control characters or any of \" # % \\ ^ | ~ ` $ & , ; : /)");
            }
        }
    }

    static void checkRoleArn(String roleArn) {
        if (!roleArn.startsWith("arn:") || roleArn.split(":", -1).length < 6) {
            throw new EngineException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + roleArn + "'");
        }
    }

    /** Checks the shape of a state machine or execution ARN ({@code kind} is "stateMachine" or "execution"). */
    static void checkArn(String arn, String kind) {
        Engine.require(arn, kind + "Arn");
        String[] parts = arn.split(":", -1);
        boolean valid = parts.length >= 7 && parts[0].equals("arn") && parts[2].equals("states")
                && parts[5].equals(kind) && !parts[6].isEmpty()
                && (kind.equals("stateMachine") ? parts.length == 7 : parts.length == 8 && !parts[7].isEmpty());
        if (!valid) {
            throw new EngineException("InvalidArn", "Invalid Arn: '" + arn + "' is not a" + (kind.equals("execution") ? "n " : " ")
                    + kind + " ARN (arn:aws:states:<region>:<account>:" + kind + ":<name>"
                    + (kind.equals("execution") ? ":<execution name>" : "") + ")");
        }
    }

    static String stateMachineArn(EngineConfig config, String name) {
        return "arn:aws:states:" + config.region() + ":" + config.accountId() + ":stateMachine:" + name;
    }

    static String executionArn(EngineConfig config, String stateMachine, String name) {
        return "arn:aws:states:" + config.region() + ":" + config.accountId() + ":execution:" + stateMachine + ":" + name;
    }
}
