package dev.gitops.approval;

/** The key approval links and the page's CSRF tokens are signed with. */
public interface LinkSecret {
    byte[] key();
}
