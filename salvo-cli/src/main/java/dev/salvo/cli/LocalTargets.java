package dev.salvo.cli;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Enumeration;

/**
 * Decides whether a destination stays on this machine: a loopback address, the wildcard address
 * (which Linux delivers locally), or an address of one of this machine's interfaces. A traffic
 * generator must not flood someone else's network by a typo, so everything else needs an explicit
 * opt-in.
 */
final class LocalTargets {
    private LocalTargets() {
    }

    /**
     * @param address a destination
     * @return whether datagrams sent there stay on this machine
     */
    static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        if (address.isMulticastAddress()) {
            return false; // leaves through an interface even when we also listen
        }
        byte[] wanted = address.getAddress();
        try {
            Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                Enumeration<InetAddress> own = interfaces.nextElement().getInetAddresses();
                while (own.hasMoreElements()) {
                    // Compare the bytes only: an IPv6 scope id does not make the address foreign.
                    if (Arrays.equals(own.nextElement().getAddress(), wanted)) {
                        return true;
                    }
                }
            }
        } catch (SocketException e) {
            return false; // cannot tell: treat as remote, the safe answer
        }
        return false;
    }
}
