package dev.p2p.sim.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Max-min fair rates for a changing set of flows, worked out again only as far as a change
 * reaches.
 *
 * <p>An allocation is max-min fair exactly when it fits every link and every flow has a
 * bottleneck: a full link on which no flow is faster (Bertsekas and Gallager, Data Networks,
 * 6.5). When flows start or stop, the flows through the links they used are filled again
 * progressively (all their rates rise together; a link that fills freezes the flows through it
 * at its equal share of what is left), over what the other flows leave of each link. Then every
 * flow sharing a link with one filled again is checked for a bottleneck. A flow that lost its
 * bottleneck joins the set to be filled again, and so does a faster flow that keeps a member of
 * the set from having one; the set is filled again from the start. The set only grows, so this
 * ends, at the latest when it holds every flow: then it is progressive filling over all of them.
 * Past half of all flows it goes there at once.
 *
 * <p>In a swarm nearly every flow is linked to every other through some chain of shared links,
 * so the connected part a change touches is the whole swarm; yet a start or a stop changes the
 * rates of a handful of flows (in the 1,000-peer flash crowd an allocation fills 22 again on
 * average, of 3,500 in flight). The work here follows the handful. Deterministic: every order
 * comes from lists, never from hashes.
 */
final class MaxMinAllocator {
    /** Relative slack for float residue when a sum is compared with a capacity, or rates with each other. */
    private static final double SLACK = 1e-9;
    private final List<Flow> flows = new ArrayList<>();
    /** Links whose flows changed since the last allocation. */
    private final List<Link> dirty = new ArrayList<>();
    /** The flows being filled again in this allocation. */
    private final List<Flow> members = new ArrayList<>();
    /** The links of the members, in one filling. */
    private final List<Link> links = new ArrayList<>();
    private final ShareHeap shares = new ShareHeap();
    /** Stamps membership: a flow is a member when its {@code memberOf} is this. */
    private long allocation;
    /** Stamps the links seen and flows checked in one filling or one check. */
    private long pass;
    private long allocations;
    private long fullAllocations;
    private long flowsFilled;

    /** A flow starts: its links' flows get new rates at the next allocation. */
    void add(Flow f) {
        f.index = flows.size();
        flows.add(f);
        f.up.flows.add(f);
        f.down.flows.add(f);
        touch(f.up);
        touch(f.down);
    }

    /** A flow stops: what it used goes to the others at the next allocation. */
    void remove(Flow f) {
        Flow last = flows.remove(flows.size() - 1);
        if (last != f) {
            flows.set(f.index, last);
            last.index = f.index;
        }
        f.index = -1;
        f.up.flows.remove(f);
        f.down.flows.remove(f);
        touch(f.up);
        touch(f.down);
    }

    private void touch(Link link) {
        if (!link.dirty) {
            link.dirty = true;
            dirty.add(link);
        }
    }

    /** Gives every flow its max-min fair rate, through {@link Flow#setRate} for each whose rate changes. */
    void allocate() {
        if (dirty.isEmpty()) {
            return;
        }
        allocations++;
        allocation++;
        members.clear();
        for (Link link : dirty) {
            link.dirty = false;
            for (Flow f : link.flows) {
                if (!isMember(f)) { // a flow whose links both changed comes up twice
                    join(f);
                }
            }
        }
        dirty.clear();
        while (true) {
            if (2 * members.size() > flows.size()) {
                fillAll();
                break;
            }
            fill();
            int before = members.size();
            if (everyoneHasABottleneck()) {
                break;
            }
            if (members.size() == before) { // float residue nobody can be blamed for: start over
                fillAll();
                break;
            }
        }
        flowsFilled += members.size();
        for (Flow f : members) {
            if (f.newRate != f.rate) {
                f.setRate(f.newRate);
            }
        }
    }

    private void fillAll() {
        fullAllocations++;
        allocation++;
        members.clear();
        for (Flow f : flows) {
            join(f);
        }
        fill();
    }

    private void join(Flow f) {
        f.memberOf = allocation;
        f.newRate = f.rate;
        members.add(f);
    }

    private boolean isMember(Flow f) {
        return f.memberOf == allocation;
    }

    /** The rate a flow has in the allocation being worked out. */
    private double rateOf(Flow f) {
        return isMember(f) ? f.newRate : f.rate;
    }

    /** Progressive filling of the members over what the other flows leave of their links. */
    private void fill() {
        pass++;
        links.clear();
        for (Flow f : members) {
            f.frozen = false;
            enlist(f.up);
            enlist(f.down);
        }
        shares.clear();
        for (Link link : links) {
            if (link.isLimited()) {
                for (Flow g : link.flows) {
                    if (!isMember(g)) {
                        link.left -= g.rate;
                    }
                }
                link.left = Math.max(0, link.left);
                shares.add(link.left / link.unfrozen, link);
            }
        }
        // shares only grow as other links freeze flows, so a stale entry is put back with its
        // present share when it comes up (a lazy heap)
        int unfrozen = members.size();
        while (unfrozen > 0 && !shares.isEmpty()) {
            double share = shares.topShare();
            Link link = shares.topLink();
            shares.removeTop();
            if (link.unfrozen == 0) {
                continue;
            }
            double now = link.left / link.unfrozen;
            if (now > share + 1e-12) {
                shares.add(now, link);
                continue;
            }
            for (Flow g : link.flows) {
                if (!g.frozen && isMember(g)) {
                    g.frozen = true;
                    g.newRate = now;
                    unfrozen--;
                    g.up.left -= now;
                    g.up.unfrozen--;
                    g.down.left -= now;
                    g.down.unfrozen--;
                }
            }
        }
        for (Flow f : members) {
            if (!f.frozen) { // both ends unlimited
                f.newRate = Double.POSITIVE_INFINITY;
            }
        }
    }

    private void enlist(Link link) {
        if (link.solvedIn != pass) {
            link.solvedIn = pass;
            link.left = link.capacity;
            link.unfrozen = 0;
            links.add(link);
        }
        link.unfrozen++;
    }

    /**
     * Checks every flow through a member's links for a bottleneck; each one without adds flows
     * to the members. Answers true when all have one.
     */
    private boolean everyoneHasABottleneck() {
        pass++;
        boolean all = true;
        int checked = members.size(); // flows joining now are checked after the next filling
        for (int i = 0; i < checked; i++) {
            Flow f = members.get(i);
            all &= checkAround(f.up);
            all &= checkAround(f.down);
        }
        return all;
    }

    private boolean checkAround(Link link) {
        boolean all = true;
        List<Flow> through = link.flows;
        for (int i = 0; i < through.size(); i++) {
            Flow g = through.get(i);
            if (g.checkedIn != pass) {
                g.checkedIn = pass;
                if (!hasABottleneck(g)) {
                    all = false;
                    blame(g);
                }
            }
        }
        return all;
    }

    private boolean hasABottleneck(Flow f) {
        double rate = rateOf(f);
        return rate == Double.POSITIVE_INFINITY || isBottleneck(f.up, rate) || isBottleneck(f.down, rate);
    }

    /** The link is full and no flow through it is faster than {@code rate}. */
    private boolean isBottleneck(Link link, double rate) {
        return isFull(link) && rate >= link.max * (1 - SLACK);
    }

    private boolean isFull(Link link) {
        if (!link.isLimited()) {
            return false;
        }
        if (link.measuredIn != pass) {
            link.measuredIn = pass;
            double sum = 0;
            double max = 0;
            for (Flow g : link.flows) {
                double rate = rateOf(g);
                sum += rate;
                max = Math.max(max, rate);
            }
            link.sum = sum;
            link.max = max;
        }
        return link.sum >= link.capacity * (1 - SLACK);
    }

    /**
     * A flow without a bottleneck: one kept at its old rate joins the members; a member is kept
     * from having one by faster flows on its full links, which join instead.
     */
    private void blame(Flow f) {
        if (!isMember(f)) {
            join(f);
            return;
        }
        blameFaster(f.up, f.newRate);
        blameFaster(f.down, f.newRate);
    }

    private void blameFaster(Link link, double rate) {
        if (isFull(link)) {
            List<Flow> through = link.flows;
            for (int i = 0; i < through.size(); i++) {
                Flow g = through.get(i);
                if (!isMember(g) && g.rate > rate) {
                    join(g);
                }
            }
        }
    }

    /** Allocations made: a cost figure. */
    long allocations() {
        return allocations;
    }

    /** Allocations that filled every flow again. */
    long fullAllocations() {
        return fullAllocations;
    }

    /** Flows filled again, over all allocations: a cost figure. */
    long flowsFilled() {
        return flowsFilled;
    }
}
