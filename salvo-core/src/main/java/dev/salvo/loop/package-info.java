/**
 * Event loops: one thread, one poller, one set of native scratch memory and a task queue per
 * loop, and the group that hands loops to new channels. Channels are confined to their loop.
 *
 * <p>Depends on the transport SPI ({@code dev.salvo.transport}: pollers and per-loop resources)
 * and the API; knows nothing of channels beyond {@link dev.salvo.loop.LoopChannel}, nor of the
 * write engine or the read path.
 */
package dev.salvo.loop;
