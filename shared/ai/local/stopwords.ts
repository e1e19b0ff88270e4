// Function words and news boilerplate that say nothing about a document's topic.

export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can could couldn't did didn't do does doesn't doing don't down during each even ever every few
for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's
made make makes many may me might more most much must mustn't my myself new news no nor not now of off on once one
only or other others our ours ourselves out over own said same say says she she'd she'll she's should shouldn't
since so some still such than that that's the their theirs them themselves then there there's these they they'd
they'll they're they've this those though through to today too two under until up upon us use used very was wasn't
we we'd we'll we're we've were weren't what what's when when's where where's whether which while who who's whom why
why's will with within without won't would wouldn't yesterday yet you you'd you'll you're you've your yours
yourself yourselves monday tuesday wednesday thursday friday saturday sunday week year years time first last next
back reuters ap afp quot lt gt amp http https www com ! ?`.split(/\s+/),
);
