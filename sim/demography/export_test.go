package demography

// PairInOrder makes couples pair the seekers one after the other, as
// when its plan may not hold.
var PairInOrder = &pairInOrder
