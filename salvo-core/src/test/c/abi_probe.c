/* Prints sizeof/offsetof of the structs and the constants the Salvo FFM transport uses, one
 * "name value" pair per line; LayoutAbiTest compares them with the Java layouts. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <linux/errqueue.h>
#if __has_include(<linux/io_uring.h>)
#include <linux/io_uring.h>
#define HAVE_IO_URING 1
#endif

#define S(t) printf("sizeof.%s %zu\n", #t, sizeof(struct t))
#define O(t, f) printf("offsetof.%s.%s %zu\n", #t, #f, offsetof(struct t, f))
#define C(n) printf("const.%s %ld\n", #n, (long)(n))

int main(void) {
    S(iovec); O(iovec, iov_base); O(iovec, iov_len);
    S(msghdr); O(msghdr, msg_name); O(msghdr, msg_namelen); O(msghdr, msg_iov); O(msghdr, msg_iovlen);
    O(msghdr, msg_control); O(msghdr, msg_controllen); O(msghdr, msg_flags);
    S(mmsghdr); O(mmsghdr, msg_hdr); O(mmsghdr, msg_len);
    S(sockaddr_in); O(sockaddr_in, sin_family); O(sockaddr_in, sin_port); O(sockaddr_in, sin_addr); O(sockaddr_in, sin_zero);
    S(sockaddr_in6); O(sockaddr_in6, sin6_family); O(sockaddr_in6, sin6_port); O(sockaddr_in6, sin6_flowinfo);
    O(sockaddr_in6, sin6_addr); O(sockaddr_in6, sin6_scope_id);
    S(sockaddr_un); O(sockaddr_un, sun_family); O(sockaddr_un, sun_path);
    S(sockaddr_storage); O(sockaddr_storage, ss_family);
    S(epoll_event); O(epoll_event, events); O(epoll_event, data);
    S(cmsghdr); O(cmsghdr, cmsg_len); O(cmsghdr, cmsg_level); O(cmsghdr, cmsg_type);
    S(in_pktinfo); O(in_pktinfo, ipi_ifindex); O(in_pktinfo, ipi_spec_dst); O(in_pktinfo, ipi_addr);
    S(in6_pktinfo); O(in6_pktinfo, ipi6_addr); O(in6_pktinfo, ipi6_ifindex);
    S(ip_mreqn); O(ip_mreqn, imr_multiaddr); O(ip_mreqn, imr_address); O(ip_mreqn, imr_ifindex);
    S(ipv6_mreq); O(ipv6_mreq, ipv6mr_multiaddr); O(ipv6_mreq, ipv6mr_interface);
    S(ip_mreq_source); O(ip_mreq_source, imr_multiaddr); O(ip_mreq_source, imr_interface); O(ip_mreq_source, imr_sourceaddr);
    S(group_source_req); O(group_source_req, gsr_interface); O(group_source_req, gsr_group); O(group_source_req, gsr_source);
    S(utsname); O(utsname, sysname); O(utsname, nodename); O(utsname, release); O(utsname, version); O(utsname, machine);
#ifdef HAVE_IO_URING
    S(io_uring_params); O(io_uring_params, features); O(io_uring_params, sq_off); O(io_uring_params, cq_off);
#endif
    printf("cmsg.CMSG_LEN.0 %zu\n", (size_t)CMSG_LEN(0));
    printf("cmsg.CMSG_SPACE.1 %zu\n", (size_t)CMSG_SPACE(1));
    printf("cmsg.CMSG_SPACE.2 %zu\n", (size_t)CMSG_SPACE(2));
    printf("cmsg.CMSG_SPACE.4 %zu\n", (size_t)CMSG_SPACE(4));
    printf("cmsg.CMSG_SPACE.12 %zu\n", (size_t)CMSG_SPACE(12));
    printf("cmsg.CMSG_SPACE.20 %zu\n", (size_t)CMSG_SPACE(20));
    printf("cmsg.CMSG_LEN.20 %zu\n", (size_t)CMSG_LEN(20));
    {
        struct msghdr m = {0};
        char buf[64];
        m.msg_control = buf;
        m.msg_controllen = sizeof buf;
        printf("cmsg.CMSG_DATA %ld\n", (long)((char *)CMSG_DATA(CMSG_FIRSTHDR(&m)) - buf));
    }
    C(AF_UNSPEC); C(AF_UNIX); C(AF_INET); C(AF_INET6);
    C(SOCK_DGRAM); C(SOCK_NONBLOCK); C(SOCK_CLOEXEC);
    C(SOL_SOCKET); C(SOL_IP); C(SOL_IPV6); C(SOL_UDP);
    C(SO_TYPE); C(SO_REUSEADDR); C(SO_ERROR); C(SO_BROADCAST); C(SO_SNDBUF); C(SO_RCVBUF); C(SO_REUSEPORT);
    C(SO_DOMAIN); C(SO_RXQ_OVFL);
    C(IP_TOS); C(IP_TTL); C(IP_PKTINFO); C(IP_MTU_DISCOVER); C(IP_RECVTOS); C(IP_FREEBIND);
    C(IP_MULTICAST_IF); C(IP_MULTICAST_TTL); C(IP_MULTICAST_LOOP); C(IP_ADD_MEMBERSHIP); C(IP_DROP_MEMBERSHIP);
    C(IP_ADD_SOURCE_MEMBERSHIP); C(IP_DROP_SOURCE_MEMBERSHIP); C(MCAST_JOIN_SOURCE_GROUP); C(MCAST_LEAVE_SOURCE_GROUP);
    C(IPV6_UNICAST_HOPS); C(IPV6_MULTICAST_IF); C(IPV6_MULTICAST_HOPS); C(IPV6_MULTICAST_LOOP);
    C(IPV6_ADD_MEMBERSHIP); C(IPV6_DROP_MEMBERSHIP); C(IPV6_V6ONLY); C(IPV6_RECVPKTINFO); C(IPV6_PKTINFO);
    C(IPV6_RECVTCLASS); C(IPV6_TCLASS);
#ifdef UDP_SEGMENT
    C(UDP_SEGMENT);
#endif
#ifdef UDP_GRO
    C(UDP_GRO);
#endif
    C(MSG_CTRUNC); C(MSG_TRUNC); C(MSG_DONTWAIT); C(MSG_WAITFORONE);
    C(EPOLLIN); C(EPOLLOUT); C(EPOLLERR); C(EPOLLHUP); C(EPOLLET); C(EPOLL_CTL_ADD); C(EPOLL_CTL_DEL);
    C(EPOLL_CTL_MOD); C(EPOLL_CLOEXEC); C(EFD_NONBLOCK); C(EFD_CLOEXEC);
#ifdef SYS_io_uring_setup
    C(SYS_io_uring_setup);
#endif
    return 0;
}
