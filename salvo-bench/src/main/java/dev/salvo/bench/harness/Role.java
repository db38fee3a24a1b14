package dev.salvo.bench.harness;

/** What a contender stands for in the results table, which decides the ratios it is compared by. */
public enum Role {
    /** A C program: the floor of what the kernel allows; one of them is the ratio baseline. */
    C_REFERENCE,
    /** An established Java peer (JDK, Netty): the best of them is the "best Java" baseline. */
    JAVA_PEER,
    /** Salvo itself: the thing under test, compared with both baselines. */
    SALVO
}
