/**
 * The io_uring transport over FFM: the raw system calls ({@code Uring}), one mapped ring per event
 * loop ({@code Ring}), per-socket provided-buffer rings, the poller that turns completions into
 * readiness, the read-SPI batch over {@code io_uring_recvmsg_out} buffers, the send calls made as
 * linked {@code SENDMSG} submissions ({@code SENDMSG_ZC} for large ones, {@code ZeroCopyPolicy}), and
 * the probe behind {@code salvo doctor}.
 *
 * <p>Builds on {@code dev.salvo.transport.linux} (sockets, options, the writer, codecs, errno
 * classification), which knows nothing of it; depends on the transport SPI, the read and write
 * SPIs and the API; only {@code dev.salvo.channel} names it.
 */
package dev.salvo.transport.linux.uring;
