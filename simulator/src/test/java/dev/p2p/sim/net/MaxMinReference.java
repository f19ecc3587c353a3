package dev.p2p.sim.net;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Max-min fair rates by the book, for checking the model: progressive filling over every flow
 * from nothing, freezing the flows of one full link at a time.
 */
final class MaxMinReference {
    private MaxMinReference() {}

    /** The rates of flows {@code i} through {@code ups.get(i)} and {@code downs.get(i)}, in bytes per millisecond. */
    static double[] rates(List<Link> ups, List<Link> downs) {
        int n = ups.size();
        List<Link> links = new ArrayList<>();
        Map<Link, Integer> index = new IdentityHashMap<>();
        int[][] through = new int[n][];
        for (int i = 0; i < n; i++) {
            through[i] = new int[] {indexOf(ups.get(i), links, index), indexOf(downs.get(i), links, index)};
        }
        double[] used = new double[links.size()];
        int[] unfrozen = new int[links.size()];
        for (int[] t : through) {
            unfrozen[t[0]]++;
            unfrozen[t[1]]++;
        }
        double[] rate = new double[n];
        boolean[] frozen = new boolean[n];
        int left = n;
        while (left > 0) {
            int fullest = -1;
            double lowest = Double.POSITIVE_INFINITY;
            for (int l = 0; l < links.size(); l++) {
                if (unfrozen[l] > 0 && links.get(l).isLimited()) {
                    double share = (links.get(l).capacity - used[l]) / unfrozen[l];
                    if (share < lowest) {
                        lowest = share;
                        fullest = l;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (!frozen[i] && (fullest < 0 || through[i][0] == fullest || through[i][1] == fullest)) {
                    frozen[i] = true;
                    rate[i] = lowest; // infinite when no limited link is left
                    left--;
                    for (int l : through[i]) {
                        used[l] += lowest;
                        unfrozen[l]--;
                    }
                }
            }
        }
        return rate;
    }

    private static int indexOf(Link link, List<Link> links, Map<Link, Integer> index) {
        return index.computeIfAbsent(link, l -> {
            links.add(l);
            return links.size() - 1;
        });
    }
}
