/** The receive side: reusable datagram views, GRO splitting and metadata decoding shared by the transports. */
package dev.salvo.read;
