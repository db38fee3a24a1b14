/**
 * The Linux transport over FFM: libc handles with captured errno, errno numbers, struct layouts,
 * sockaddr and cmsg codecs, the {@code mmsghdr} encoder, the offload policy and GSO coalescer,
 * {@code recvmmsg} batches, epoll and eventfd, and the capability probe behind
 * {@link dev.salvo.SystemReport}.
 *
 * <p>Errno stays here: every kernel answer is classified at this edge into the typed outcomes of
 * the write engine and the read path. Depends on the transport SPI, those SPIs and the API; never
 * on {@code .nio}, the channel or the loop.
 */
package dev.salvo.transport.linux;
