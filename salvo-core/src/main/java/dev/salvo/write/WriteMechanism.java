package dev.salvo.write;

/** Which system call the head of the flushed queue calls for right now. */
enum WriteMechanism {
    /** Nothing is flushed: no call at all. */
    NOTHING,
    /** One datagram goes out on its own ({@code sendmsg}). */
    SCALAR,
    /** Several flushed datagrams go out together ({@code sendmmsg}). */
    VECTOR
}
