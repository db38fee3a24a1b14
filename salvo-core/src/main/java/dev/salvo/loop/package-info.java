/** Event loops: one thread, one poller and one set of scratch memory per loop; channels are confined to their loop. */
package dev.salvo.loop;
