// Loaded before the page is drawn, so that the styles for script-enabled browsers apply from the
// first paint (collapsed menu and filters on a phone) instead of after a jump.
document.documentElement.classList.add("js");
