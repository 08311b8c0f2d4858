// The board as the editor (for editors only; viewers get none of it): quick add, the side
// panel, drag and drop, the keyboard's Move, links and undo, without loading the page. Each
// part is a module of its own; board-live.js posts and redraws for all of them. Plain
// modules, no library: see the commit that brought them for why.

import "./board-live.js";
import "./board-quick-add.js";
import "./board-panel.js";
import "./board-drag.js";
import "./board-keys.js";
import "./board-links.js";
