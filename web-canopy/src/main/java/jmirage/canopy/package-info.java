/** Canopy: a website from a git repository (issue 19). */
package jmirage.canopy;
