/** The kinds of event rule `count` counts (shared by the loader and the count operator). */
export const COUNT_DOMAINS = ['measurement', 'condition', 'procedure', 'finding'] as const;
