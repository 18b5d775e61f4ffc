package dev.gitops.secrets;

/** Where secrets given by ARN are read: Secrets Manager, in AWS and wherever {@code gitops.aws.endpoints} points. */
@FunctionalInterface
interface SecretSource {
    /**
     * @throws SecretUnavailable naming the ARN and why
     */
    String read(String arn);
}
