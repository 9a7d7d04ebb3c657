/**
 * Re-creating a statement on a fresh connection: how it was made and what was set on it
 * ({@link connguard.heal.recipe.StatementRecipe}), its parameters
 * ({@link connguard.heal.recipe.ParameterSlots}, {@link connguard.heal.recipe.SingleParameter}) and
 * how many placeholders its SQL has ({@link connguard.heal.recipe.PlaceholderCounts}).
 *
 * <p>May use java.sql and {@code heal.call}; never the rest of heal.
 */
package connguard.heal.recipe;
